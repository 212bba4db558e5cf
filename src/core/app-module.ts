import type { FastifyInstance } from 'fastify';
import type { PeriodicJob } from './periodic-job.ts';

/** What the public routes share once the platform is seeded: the region they serve, one per-address limit over every public POST. */
export interface Site {
  region: { id: string; name: string };
  publicLimit: ReturnType<FastifyInstance['createRateLimit']>;
}

/** What a module adds to the platform once it is open. */
export interface OpenedModule<Provides extends object> {
  provides: Provides;
  /** The data it cannot work without (default categories, keys): run by the app's explicit seed step. */
  seed?: (region: { id: string }) => Promise<void>;
  /** Its HTTP routes, registered after every module is open and seeded. */
  routes?: (app: FastifyInstance, site: Site) => PromiseLike<unknown>;
  /** Its periodic jobs; the app starts them unless told not to (tests run them by hand), and stops them first on close. */
  jobs?: PeriodicJob[];
  /** When closing starts, before any module closes: take no new work (long polls answer at once). */
  closing?: () => void;
  /** Releases what open() took; modules close in the reverse of their opening order. */
  close?: () => Promise<void> | void;
}

/**
 * A module as the app assembles it: the services it needs from modules opened
 * before it (checked by the compiler in app.ts's order), the ones it provides,
 * and open(), which makes them and says its seed, routes, jobs and close.
 */
export interface AppModule<Needs extends object, Provides extends object> {
  name: string;
  /** Read by people (and checked by the compiler against Needs): what the module takes from those before it. */
  needs: readonly (keyof Needs)[];
  provides: readonly (keyof Provides)[];
  // A property, not a method: the parameter is then checked strictly, so a module placed before what it needs does not compile.
  open: (needs: Needs) => Promise<OpenedModule<Provides>> | OpenedModule<Provides>;
}

/** A module opened by an assembly, its name kept for the log. */
export interface Opened extends Omit<OpenedModule<object>, 'provides'> {
  name: string;
}

/**
 * Modules folded in order: each one's needs are what the base and the modules
 * before it provide (a compile error otherwise). open() opens them one by one;
 * if one fails, the ones opened before it are closed (in reverse) and the
 * failure is thrown.
 */
export class Assembly<Have extends object> {
  private readonly build: (opened: Opened[]) => Promise<Have>;

  private constructor(build: (opened: Opened[]) => Promise<Have>) {
    this.build = build;
  }

  static of<Base extends object>(base: Base): Assembly<Base> {
    return new Assembly(async () => base);
  }

  with<Provides extends object>(module: AppModule<Have, Provides>): Assembly<Have & Provides> {
    return new Assembly(async (opened) => {
      const have = await this.build(opened);
      const { provides, ...parts } = await module.open(have);
      opened.push({ name: module.name, ...parts });
      const absent = module.provides.filter((name) => !(name in provides));
      if (absent.length > 0) throw new Error(`module ${module.name} did not provide ${absent.map(String).join(', ')}`);
      return { ...have, ...provides };
    });
  }

  /**
   * Opens every module in order. On a failure the modules opened so far are
   * closed, newest first (a close that fails is reported to `onCloseError`, the
   * others still run), and the failure is thrown.
   */
  async open(onCloseError: (error: unknown, module: string) => void): Promise<{ services: Have; opened: Opened[] }> {
    const opened: Opened[] = [];
    try {
      return { services: await this.build(opened), opened };
    } catch (error) {
      await closeAll(opened, onCloseError);
      throw error;
    }
  }
}

/** Closes opened modules newest first; one that fails to close does not keep the others (the database) open. */
export async function closeAll(opened: readonly Opened[], onError: (error: unknown, module: string) => void): Promise<void> {
  for (const m of [...opened].reverse()) {
    try {
      await m.close?.();
    } catch (error) {
      onError(error, m.name);
    }
  }
}
