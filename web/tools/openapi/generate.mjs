// Generates web/src/api/schema.ts from docs/openapi.json (the document `banana openapi` prints
// and the server serves at /api/v1/openapi.json).
//
//   node generate.mjs          write schema.ts
//   node generate.mjs --check  exit 1 if schema.ts is not what the document generates
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const documentPath = here('../../../docs/openapi.json')
const schemaPath = here('../../src/api/schema.ts')

const header =
  '// Generated from docs/openapi.json by web/tools/openapi (`npm run api`); do not edit.\n' +
  '// The wire types are the Rust types of crates/banana-api.\n\n'
const doc = JSON.parse(await readFile(documentPath, 'utf8'))
const ast = await openapiTS(doc, { alphabetize: false, exportType: false })
const generated = header + astToString(ast)

if (process.argv.includes('--check')) {
  const current = await readFile(schemaPath, 'utf8').catch(() => '')
  if (current !== generated) {
    console.error(
      'web/src/api/schema.ts is stale: it is not what docs/openapi.json generates.\n' +
        'Run `cargo run -p banana -- openapi > docs/openapi.json` and `npm run api` in web/.',
    )
    process.exit(1)
  }
  console.log('web/src/api/schema.ts matches docs/openapi.json')
} else {
  await writeFile(schemaPath, generated)
  console.log(`wrote ${schemaPath}`)
}
