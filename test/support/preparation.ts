import { createPreparation, type Preparation } from '../../src/shared/db/preparation';
import { createLogger } from '../../src/shared/logging';

/** A preparation for modules built outside an app: it prepares at the first use, quietly. */
export function quietPreparation(): Preparation {
  return createPreparation({ logger: createLogger({ level: 'silent' }) });
}
