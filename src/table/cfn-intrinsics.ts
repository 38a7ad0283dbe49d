/**
 * CloudFormation's intrinsic functions, as far as a table definition needs them before any stack
 * exists: the YAML short-form tags (`!Ref`, `!Sub`, ...) read as their JSON long form, and the
 * functions whose value is known from names the caller gives (parameters, pseudo parameters such
 * as AWS::StackName) evaluated. Functions that need a deployed stack (`!GetAtt`, `!ImportValue`,
 * `!GetAZs`, ...) are named as such, never guessed.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from 'yaml'
import { isJsonObject, type JsonObject } from '../json.js'

/** The short-form tags and the function each stands for. */
const SHORT_FORMS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!If': 'Fn::If',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs',
  '!Cidr': 'Fn::Cidr',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
}

/** Functions whose value only a deployed stack knows. */
const STACK_ONLY = new Set([
  'Fn::GetAtt',
  'Fn::ImportValue',
  'Fn::GetAZs',
  'Fn::Cidr',
  'Fn::Transform',
])

/** `!GetAtt Resource.Attribute` in its long form `[Resource, Attribute]`. */
function getAttList(value: string): string[] {
  const dot = value.indexOf('.')
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)]
}

function longForm(name: string, value: unknown): JsonObject {
  if (name === 'Fn::GetAtt' && typeof value === 'string') return { [name]: getAttList(value) }
  return { [name]: value }
}

/**
 * The `yaml` package's custom tags for every short form: a scalar, a sequence and a mapping
 * version of each, so `!Sub 'a-${B}'`, `!Sub [..., {...}]` and `!If [...]` all read.
 */
export const CFN_YAML_TAGS: Array<ScalarTag | CollectionTag> = Object.entries(SHORT_FORMS).flatMap(
  ([tag, name]): Array<ScalarTag | CollectionTag> => [
    { tag, resolve: (value: string) => longForm(name, value) },
    { tag, collection: 'seq', resolve: (seq: Collection) => longForm(name, seq.toJSON()) },
    { tag, collection: 'map', resolve: (map: Collection) => longForm(name, map.toJSON()) },
  ],
)

type Collection = YAMLMap.Parsed | YAMLSeq.Parsed

/** The sections of the template and the names given that functions read. */
export interface Scope {
  /** Values given by the caller: parameters and pseudo parameters (AWS::StackName ...). */
  names: Readonly<Record<string, string>>
  /** The template's Parameters section, for each one's Default. */
  parameters: JsonObject
  /** The template's Conditions section. */
  conditions: JsonObject
  /** The template's Mappings section. */
  mappings: JsonObject
}

/** A value that cannot be known before the stack exists; `why` says what was expected and found. */
export class Unresolved extends Error {
  constructor(readonly why: string) {
    super(why)
  }
}

/** `Ref: AWS::NoValue`: the property is left out. */
export const NO_VALUE = Symbol('AWS::NoValue')

/** The name of the one function an object stands for (`Ref`, `Fn::Sub`...), or undefined. */
function functionOf(value: JsonObject): string | undefined {
  const keys = Object.keys(value)
  if (keys.length !== 1) return undefined
  const key = keys[0] ?? ''
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined
}

/** The short form a user would recognise: `!Sub` for Fn::Sub. */
function shortName(name: string): string {
  return `!${name.replace(/^Fn::/, '')}`
}

/**
 * The value with every function evaluated; entries that are `AWS::NoValue` are left out.
 * Throws Unresolved when a function needs what neither the names nor the template give.
 */
export function evaluate(value: unknown, scope: Scope): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => evaluate(v, scope)).filter((v) => v !== NO_VALUE)
  }
  if (!isJsonObject(value)) return value
  const name = functionOf(value)
  if (name === undefined || name === 'Condition') {
    const result: JsonObject = {}
    for (const [key, v] of Object.entries(value)) {
      const evaluated = evaluate(v, scope)
      if (evaluated !== NO_VALUE) result[key] = evaluated
    }
    return result
  }
  return call(name, value[name], scope)
}

function call(name: string, args: unknown, scope: Scope): unknown {
  switch (name) {
    case 'Ref':
      return ref(args, scope)
    case 'Fn::Sub':
      return sub(args, scope)
    case 'Fn::If':
      return ifThen(args, scope)
    case 'Fn::Join': {
      const [separator, parts] = listArgs(name, args, 2)
      const list = evaluate(parts, scope)
      if (typeof separator !== 'string' || !Array.isArray(list)) throw usage(name, args)
      return list.map((p) => text(name, p)).join(separator)
    }
    case 'Fn::Select': {
      const [index, list] = listArgs(name, args, 2).map((a) => evaluate(a, scope))
      const i = Number(index)
      if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) {
        throw usage(name, args)
      }
      return list[i]
    }
    case 'Fn::Split': {
      const [separator, source] = listArgs(name, args, 2).map((a) => evaluate(a, scope))
      if (typeof separator !== 'string' || typeof source !== 'string') throw usage(name, args)
      return source.split(separator)
    }
    case 'Fn::FindInMap': {
      const keys = listArgs(name, args, 3).map((a) => text(name, evaluate(a, scope)))
      let found: unknown = scope.mappings
      for (const key of keys) found = isJsonObject(found) ? found[key] : undefined
      if (found === undefined) {
        throw new Unresolved(
          `expected Mappings.${keys.join('.')} (read by !FindInMap), got nothing ` +
            '(add it under Mappings)',
        )
      }
      return found
    }
    case 'Fn::Base64':
      return Buffer.from(text(name, evaluate(args, scope)), 'utf8').toString('base64')
    case 'Fn::Equals':
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or':
      return condition({ [name]: args }, scope)
  }
  if (STACK_ONLY.has(name)) {
    throw new Unresolved(
      `expected a value known before the stack exists, got ${shortName(name)} ` +
        `${JSON.stringify(args)} (write the value itself in the template)`,
    )
  }
  throw new Unresolved(
    `expected a value, a parameter or a function this action evaluates (!Ref, !Sub, !If, ` +
      `!Join, !Select, !Split, !FindInMap, !Base64), got ${shortName(name)} (write the value itself)`,
  )
}

function usage(name: string, args: unknown): Unresolved {
  return new Unresolved(
    `expected ${shortName(name)} with arguments as CloudFormation documents them, got ` +
      JSON.stringify(args),
  )
}

function listArgs(name: string, args: unknown, count: number): unknown[] {
  if (!Array.isArray(args) || args.length !== count) throw usage(name, args)
  return args
}

/** A value that functions joining text can use: a string, or a number written as one. */
function text(name: string, value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw usage(name, value)
}

/**
 * The value of a name: given by the caller, else the parameter's Default. A name neither gives
 * (a resource's logical id, a parameter without Default) cannot be known here.
 */
function lookup(name: string, scope: Scope, usedBy: string): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE
  const given = scope.names[name]
  if (given !== undefined) return given
  const parameter = scope.parameters[name]
  if (isJsonObject(parameter) && parameter['Default'] !== undefined) {
    const fallback = parameter['Default']
    return typeof fallback === 'number' ? String(fallback) : fallback
  }
  const fix = isJsonObject(parameter)
    ? `give ${name} a value in template-parameters (${name}=...), or a Default under ` +
      `Parameters.${name}`
    : name.startsWith('AWS::')
      ? `a pseudo parameter has no value before a stack exists: give ${name} one in ` +
        `template-parameters (${name}=...)`
      : `${name} is not under Parameters: give it a value in template-parameters ` +
        `(${name}=...), or declare it under Parameters with a Default`
  throw new Unresolved(`expected a value for ${name}, which ${usedBy} uses, got none (${fix})`)
}

function ref(args: unknown, scope: Scope): unknown {
  if (typeof args !== 'string') throw usage('Ref', args)
  return lookup(args, scope, '!Ref')
}

/** `${Name}` is a variable, `${!Literal}` the text `${Literal}`. */
const SUB_VARIABLE = /\$\{([^}]*)\}/g

function sub(args: unknown, scope: Scope): string {
  let template: unknown = args
  let variables: JsonObject = {}
  if (Array.isArray(args)) {
    const [first, second] = listArgs('Fn::Sub', args, 2)
    if (!isJsonObject(second)) throw usage('Fn::Sub', args)
    template = first
    variables = second
  }
  if (typeof template !== 'string') throw usage('Fn::Sub', args)
  return template.replace(SUB_VARIABLE, (whole, variable: string) => {
    if (variable.startsWith('!')) return `\${${variable.slice(1)}}`
    const own = variables[variable]
    if (own !== undefined) return text('Fn::Sub', evaluate(own, scope))
    if (variable.includes('.') && !variable.startsWith('AWS::')) {
      throw new Unresolved(
        `expected a value known before the stack exists, got ${whole} in !Sub ` +
          '(an attribute of a resource: write the value itself)',
      )
    }
    return text('Fn::Sub', lookup(variable, scope, '!Sub'))
  })
}

function ifThen(args: unknown, scope: Scope): unknown {
  const [name, whenTrue, whenFalse] = listArgs('Fn::If', args, 3)
  if (typeof name !== 'string') throw usage('Fn::If', args)
  return evaluate(namedCondition(name, scope) ? whenTrue : whenFalse, scope)
}

/** The value of the condition `name` of the Conditions section. */
export function namedCondition(name: string, scope: Scope): boolean {
  const definition = scope.conditions[name]
  if (definition === undefined) {
    throw new Unresolved(
      `expected a condition named ${name} under Conditions, got none (add it, or fix the name)`,
    )
  }
  return condition(definition, scope)
}

function condition(value: unknown, scope: Scope): boolean {
  const name = isJsonObject(value) ? functionOf(value) : undefined
  if (!isJsonObject(value) || name === undefined) throw usage('Condition', value)
  const args = value[name]
  switch (name) {
    case 'Condition':
      if (typeof args !== 'string') throw usage(name, args)
      return namedCondition(args, scope)
    case 'Fn::Equals': {
      // Parameters are strings, so `!Equals [!Ref Count, 3]` compares text, as CloudFormation does.
      const [a, b] = listArgs(name, args, 2).map((x) => {
        const value = evaluate(x, scope)
        return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value
      })
      return JSON.stringify(a) === JSON.stringify(b)
    }
    case 'Fn::Not':
      return !condition(listArgs(name, args, 1)[0], scope)
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(args) || args.length < 2) throw usage(name, args)
      const values = args.map((a) => condition(a, scope))
      return name === 'Fn::And' ? values.every(Boolean) : values.some(Boolean)
    }
  }
  throw usage('Condition', value)
}
