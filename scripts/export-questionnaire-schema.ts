// Writes docs/questionnaire.schema.json from the zod schema (the single source of truth), for
// authors whose editor reads a local `$schema`. A unit test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { questionnaireJsonSchemaText } from '../src/features/questionnaires';
import { ROOT } from '../src/paths';

const target = path.join(ROOT, 'docs', 'questionnaire.schema.json');
writeFileSync(target, questionnaireJsonSchemaText());
process.stdout.write(`wrote ${path.relative(ROOT, target)}\n`);
