'use strict';
// What the server bundle (scripts/bundle-server.mjs) gives a library that requires `debug`.
// debug's logger takes its arguments as a rest parameter, so every call allocates an array before
// it looks whether its namespace is on; mqtt-packet calls it some 20 times a packet, which made 16%
// of all the bytes the server allocated in MQTT ingest (and as many young collections). A logger
// whose namespace is off when it is made (DEBUG unset, as in service) is a function that does
// nothing; one that is on is debug's own. debug.enable() at run time reaches only loggers made after.
const createDebug = require('debug');

function quietDebug(namespace) {
  const logger = createDebug(namespace);
  if (logger.enabled) return logger;
  const off = function debugOff() {};
  off.enabled = false;
  off.namespace = namespace;
  off.log = logger.log;
  off.extend = (sub, delimiter = ':') => quietDebug(namespace + delimiter + sub);
  off.destroy = () => {};
  return off;
}

module.exports = Object.assign(quietDebug, createDebug, { default: quietDebug });
