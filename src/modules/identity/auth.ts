import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { requiresBearer } from '../../platform/http/route-security.ts';
import type { IdentityService } from './identity.service.ts';
import type { Principal } from './principal.ts';
import type { Role } from './identity.contract.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
  return match[1];
}

/** A preHandler that lets through only a logged-in user, of one of the roles when given. */
export function requireUser(identity: IdentityService, roles?: Role[]) {
  // Marked: the OpenAPI document gives every route that runs it the bearer requirement, and no other.
  return requiresBearer(async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request);
    if (token === undefined) throw new AppError('UNAUTHENTICATED', 'log in first: send "Authorization: Bearer <token>"');
    const principal = await identity.authenticate(token);
    if (roles && !roles.includes(principal.role)) throw new AppError('FORBIDDEN', `this needs the role ${roles.join(' or ')}`);
    request.principal = principal;
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'log in first');
  return request.principal;
}
