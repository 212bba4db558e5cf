/** Quick wins and the roadmap per dimension × year: what the rest of the master plan module may use. */
export { QuickWinsRepository } from './quickwins.repository.ts';
export { QuickWinsService } from './quickwins.service.ts';
export { RoadmapService } from './quickwins.roadmap.ts';
export { quickwinsRoutes } from './quickwins.routes.ts';
export { seedQuickWinsDemo } from './quickwins.demo.ts';
