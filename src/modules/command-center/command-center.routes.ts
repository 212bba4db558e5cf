import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authErrors } from '../../core/http-schemas.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import { FirstScreen } from './command-center.contract.ts';
import type { FirstScreenReader } from './first-screen.ts';

/** /api/v1/command-center: the first screen of the operators' app in one answer. */
export const commandCenterRoutes: FastifyPluginAsyncTypebox<{ firstScreen: FirstScreenReader; identity: IdentityService }> = async (app, { firstScreen, identity }) => {
  app.get(
    '/command-center',
    {
      preHandler: requireUser(identity),
      schema: {
        tags: ['region'],
        summary: "The command center's first screen: region, map layers, assets, devices, latest values and active alarms, every page",
        description: 'The same data, and the same access rules, as the six list routes it stands for; the live stream (/api/v1/stream) keeps it current.',
        response: { 200: FirstScreen, ...authErrors },
      },
    },
    async (request) => firstScreen.read(principalOf(request)),
  );
};
