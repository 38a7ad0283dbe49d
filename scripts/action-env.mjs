// The environment a GitHub runner gives a JavaScript action: every input of action.yml as
// INPUT_<NAME> (its default when not given), and files for outputs, the job summary and the
// state a step keeps for its post step.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** INPUT_* variables exactly as the runner names them: spaces to _, upper case, dashes kept. */
export function inputEnv(inputs) {
  const action = YAML.parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8'))
  const env = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    const value = inputs[name] ?? spec.default ?? ''
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value)
  }
  for (const name of Object.keys(inputs)) {
    if (!(name in action.inputs)) throw new Error(`action.yml has no input named ${name}`)
  }
  return env
}

/** A fresh runner-like workspace: output, summary, state and temp locations in one directory. */
export function runnerFiles(dir) {
  fs.mkdirSync(path.join(dir, 'runner-temp'), { recursive: true })
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'github-output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'step-summary.md'),
    GITHUB_STATE: path.join(dir, 'github-state'),
    RUNNER_TEMP: path.join(dir, 'runner-temp'),
  }
  fs.writeFileSync(files.GITHUB_OUTPUT, '')
  fs.writeFileSync(files.GITHUB_STEP_SUMMARY, '')
  fs.writeFileSync(files.GITHUB_STATE, '')
  return files
}

/**
 * Parses a GITHUB_OUTPUT or GITHUB_STATE file (name<<delimiter ... delimiter blocks) into an
 * object; a name written twice keeps its last value, as the runner does.
 */
export function readOutputs(file) {
  const text = fs.readFileSync(file, 'utf8')
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (match) {
      const [, name, delimiter] = match
      const value = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      outputs[name] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}
