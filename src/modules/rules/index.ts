export { ALARM_TRANSITIONS, type ActionContext, type AlarmTransition, type RuleAction } from './rules.actions.ts';
export { MAX_LEVELS, type Level } from './rules.levels.ts';
export { RuleEngine } from './rules.engine.ts';
export { RulesRepository } from './rules.repository.ts';
export { rulesRoutes } from './rules.routes.ts';
export { RulesService, type Rule } from './rules.service.ts';
export { WebhookAction, isLocalHostName, isPrivateAddress, resolvesToPrivateAddress, webhookSignature } from './webhook.action.ts';
