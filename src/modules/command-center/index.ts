export { commandCenterModule } from './command-center.module.ts';
