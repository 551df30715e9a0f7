// Questionnaires: the definition format (zod, the single source of truth), the built-in
// library read from content/, versioned storage for built-in and workspace questionnaires,
// and the library, preview and print pages. Depends on shared/ only.
import type { Preparation } from '../../shared/db/preparation';
import type { Connection } from '../../shared/db/connect';
import type { Logger } from '../../shared/logging';
import { createQuestionnaireApiRouter } from './questionnaire.api';
import { createQuestionnaireDraftRepository } from './questionnaire-draft.repository';
import { createQuestionnaireEditorRouter } from './questionnaire.editor.pages';
import { loadBuiltinDefinitions } from './questionnaire.content';
import { createQuestionnairePagesRouter } from './questionnaire.pages';
import { createQuestionnaireRepository } from './questionnaire.repository';
import { createQuestionnaireService } from './questionnaire.service';

export {
  QuestionnaireDefinition,
  QuestionnaireDraft,
  QuestionnaireListDto,
  QuestionnaireSummaryDto,
  QuestionnaireVersionDto,
  ValidationResultDto,
  TENSION_SCALE_POINTS,
  TENSION_COMMENT_MAX,
  PRACTICE_RATING_POINTS,
  DCF_CLASSES,
  ITEM_KINDS,
  ITEM_CHANGES,
  isRequired,
} from './questionnaire.schemas';
export type {
  Item,
  ItemKind,
  TensionItem,
  MaturityItem,
  PracticeItem,
  DcfItem,
  Section,
  Dimension,
} from './questionnaire.schemas';
export type { QuestionnaireService } from './questionnaire.service';
export { questionnaireJsonSchemaText } from './questionnaire.service';
export type {
  QuestionnaireVersion,
  QuestionnaireSummary,
  QuestionnaireRef,
  QuestionnaireDiff,
  QuestionnaireVersionInfo,
} from './questionnaire.types';
export { CANT_SAY, toSectionsView, type SelectedValues } from './questionnaire.view-model';
export { isEffortAtRisk } from './dcf';
export { comparability, traceItems } from './questionnaire.lineage';
export type {
  ItemChange,
  ItemComparison,
  ItemStatus,
  Lineage,
  LineageNode,
  VersionKey,
} from './questionnaire.lineage';

export function createQuestionnairesModule(deps: {
  conn: Connection;
  contentDir: string;
  clock: () => Date;
  logger: Logger;
  preparation: Preparation;
}) {
  const service = createQuestionnaireService({
    repository: createQuestionnaireRepository(deps.conn),
    builtins: loadBuiltinDefinitions(deps.contentDir),
    clock: deps.clock,
    logger: deps.logger,
  });
  const drafts = createQuestionnaireDraftRepository(deps.conn);
  // A deleted questionnaire's unpublished draft goes with it: a new one of that slug starts afresh.
  service.onRemoved((workspaceId, slug) => drafts.remove(workspaceId, slug));
  deps.preparation.add({ name: 'questionnaires', run: () => service.prepare() });
  deps.preparation.add({ name: 'questionnaire drafts', run: () => drafts.init() });
  const pagesRouter = createQuestionnairePagesRouter({
    questionnaires: service,
    editor: createQuestionnaireEditorRouter({ questionnaires: service, drafts, clock: deps.clock }),
  });
  return {
    service,
    apiRouter: createQuestionnaireApiRouter({ questionnaires: service }),
    pagesRouter,
  };
}
