// One database as the rest of the service sees it: one explicit object (Backend), made once by
// the runtime (src/runtime/database.ts on Node, src/db/d1/backend.ts on Workers) and passed to
// whoever writes. It lives with the commit it makes, in src/db/commit.ts.
export {
  backendOf, sqlBackend, type Backend, type BackendDialect, type CommitSync, type SqlBackendOptions,
} from './commit.ts';
