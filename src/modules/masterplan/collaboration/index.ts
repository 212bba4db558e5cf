/** Collaboration on the master plan: what the rest of the module may use. */
export { ActivityLog, listenForMasterplanChanges } from './collaboration.activity.ts';
export { UPLOAD_MAX_BYTES } from './collaboration.files.ts';
export { seedCollaborationDemo, seedPlanPeople } from './collaboration.demo.ts';
export { CollaborationRepository } from './collaboration.repository.ts';
export { Discussion } from './collaboration.discussion.ts';
export { ReviewFlow } from './collaboration.review.ts';
export { masterplanDocsRoutes } from './collaboration.routes.ts';
export { CollaborationService } from './collaboration.service.ts';
