export type { ActionContext, RuleAction } from './rules.actions.js';
export { RuleEngine } from './rules.engine.js';
export { RulesRepository } from './rules.repository.js';
export { rulesRoutes } from './rules.routes.js';
export { RulesService, type Rule } from './rules.service.js';
export { WebhookAction } from './webhook.action.js';
