// npm run demo: imports the sample data of examples/ from a local S3 server into DynamoDB Local
// through the built action (dist/index.js), run the way a GitHub runner runs it, then prints the
// action's outputs and job summary. Starts and stops its own emulators; exits with the action's code.
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { inputEnv, readOutputs, runnerFiles } from './action-env.mjs'
import { createSampleTable, startEmulators } from './emulators.mjs'
import { uploadExamples } from './upload-examples.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TABLE = 'demo-items'
const BUCKET = 'examples'

console.log('Starting DynamoDB Local and the local S3 server…')
const emulators = await startEmulators({ log: (m) => console.log(m) })
let code = 1
try {
  const keys = await uploadExamples(emulators.s3Endpoint, BUCKET)
  console.log(`Uploaded ${keys.length} objects to s3://${BUCKET}/items/`)
  await createSampleTable(emulators.dynamodbEndpoint, TABLE)
  console.log(`Created table ${TABLE} (pk:S, sk:N) in DynamoDB Local\n`)

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamodb-s3-import-demo-'))
  const files = runnerFiles(dir)
  const env = {
    ...process.env,
    ...files,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...inputEnv({
      table: TABLE,
      source: `s3://${BUCKET}/items/`,
      region: 'us-east-1',
      'dynamodb-endpoint': emulators.dynamodbEndpoint,
      's3-endpoint': emulators.s3Endpoint,
    }),
  }
  console.log(`$ node dist/index.js   (INPUT_* set as a runner sets them)\n`)
  code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'index.js')], {
      env,
      stdio: 'inherit',
    })
    child.on('exit', (c) => resolve(c ?? 1))
  })
  console.log(`\n== Outputs (${files.GITHUB_OUTPUT})`)
  for (const [name, value] of Object.entries(readOutputs(files.GITHUB_OUTPUT)))
    console.log(`${name}=${value}`)
  console.log(`\n== Job summary (${files.GITHUB_STEP_SUMMARY})`)
  console.log(fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'))
  console.log(`The action exited with code ${code}.`)
} finally {
  await emulators.stop()
}
process.exit(code)
