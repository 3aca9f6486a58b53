// What every request handler can reach: the dependencies given to createApp (src/app/deps.ts),
// and who is calling.
import type { AppDeps } from '../app/deps.ts';
import type { Principal } from '../domain/tokens.ts';

export type { AppConfig, AppDeps, Logger } from '../app/deps.ts';

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
  };
}
