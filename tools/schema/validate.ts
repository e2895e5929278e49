/**
 * Structural checks of a Pulumi package schema (the subset sqsd-worker's schema uses), and a
 * check of a Pulumi YAML program's resources against it. The Go tool in tools/pulumi-cli
 * (sdkgen) validates with Pulumi's own binder when it is built; these run everywhere.
 */

/** A property or type reference in a package schema. */
export interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  description?: string;
  plain?: boolean;
}

/** An object type or resource in a package schema. */
export interface SchemaObject {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaProperty>;
  required?: string[];
  inputProperties?: Record<string, SchemaProperty>;
  requiredInputs?: string[];
  isComponent?: boolean;
}

/** The parts of a package schema checked here. */
export interface PackageSchema {
  name: string;
  version?: string;
  resources?: Record<string, SchemaObject>;
  types?: Record<string, SchemaObject>;
}

const primitives = new Set(["string", "number", "integer", "boolean", "array", "object"]);

/**
 * Problems of the schema: unresolved `#/types/` references, missing descriptions, bad tokens,
 * type names ending in `Args`.
 */
export function schemaProblems(schema: PackageSchema): string[] {
  const problems: string[] = [];
  const types = schema.types ?? {};
  const tokenPattern = new RegExp(`^${schema.name}:index:[A-Z][A-Za-z0-9]*$`);
  const checkProp = (where: string, prop: SchemaProperty, needsDescription: boolean): void => {
    if (needsDescription && !prop.description?.trim()) problems.push(`${where}: no description`);
    if (prop.$ref !== undefined) {
      const token = prop.$ref.startsWith("#/types/") ? prop.$ref.slice("#/types/".length) : undefined;
      if (token === undefined || !(token in types)) problems.push(`${where}: unresolved reference ${prop.$ref}`);
    } else if (prop.type === undefined || !primitives.has(prop.type)) {
      problems.push(`${where}: unknown type ${String(prop.type)}`);
    }
    if (prop.type === "array") {
      if (prop.items === undefined) problems.push(`${where}: array without items`);
      else checkProp(`${where}[]`, prop.items, false);
    }
    if (prop.additionalProperties !== undefined) checkProp(`${where}{}`, prop.additionalProperties, false);
  };
  const checkObject = (where: string, props: Record<string, SchemaProperty> | undefined, required: string[] | undefined): void => {
    for (const [name, prop] of Object.entries(props ?? {})) checkProp(`${where}.${name}`, prop, true);
    for (const name of required ?? []) if (!(name in (props ?? {}))) problems.push(`${where}: required ${name} is not a property`);
  };
  for (const [token, resource] of Object.entries(schema.resources ?? {})) {
    if (!tokenPattern.test(token)) problems.push(`resource ${token}: token is not ${schema.name}:index:<Class>`);
    if (!resource.description?.trim()) problems.push(`resource ${token}: no description`);
    checkObject(`${token} input`, resource.inputProperties, resource.requiredInputs);
    checkObject(`${token} output`, resource.properties, resource.required);
  }
  for (const [token, type] of Object.entries(types)) {
    if (!tokenPattern.test(token)) problems.push(`type ${token}: token is not ${schema.name}:index:<Name>`);
    // Pulumi's SDK generators append `Args` to input types: `FooArgs` would become `FooArgsArgs`.
    if (token.endsWith("Args")) problems.push(`type ${token}: name ends in Args (the SDKs would call it ${token.slice(token.lastIndexOf(":") + 1)}Args)`);
    if (type.type !== "object") problems.push(`type ${token}: not an object type`);
    checkObject(token, type.properties, type.required);
  }
  return problems;
}

/** A Pulumi YAML program (the parts checked). */
export interface YamlProgram {
  resources?: Record<string, { type?: string; properties?: Record<string, unknown> }>;
}

const isInterpolation = (value: unknown): boolean => typeof value === "string" && /\$\{[^}]+\}/.test(value);

/**
 * Problems of the program's resources of this package: unknown type tokens, unknown or missing
 * properties, values of the wrong kind (interpolations `${...}` are accepted anywhere).
 */
export function yamlProgramProblems(schema: PackageSchema, program: YamlProgram): string[] {
  const problems: string[] = [];
  const types = schema.types ?? {};
  const checkValue = (where: string, prop: SchemaProperty, value: unknown): void => {
    if (isInterpolation(value)) return;
    if (prop.$ref !== undefined) {
      const type = types[prop.$ref.slice("#/types/".length)];
      if (type === undefined) problems.push(`${where}: schema type ${prop.$ref} missing`);
      else checkProps(where, type.properties ?? {}, type.required ?? [], value);
      return;
    }
    switch (prop.type) {
      case "string":
        if (typeof value !== "string") problems.push(`${where}: expected a string`);
        break;
      case "number":
      case "integer":
        if (typeof value !== "number") problems.push(`${where}: expected a number`);
        break;
      case "boolean":
        if (typeof value !== "boolean") problems.push(`${where}: expected a boolean`);
        break;
      case "array":
        if (!Array.isArray(value)) problems.push(`${where}: expected a list`);
        else if (prop.items) value.forEach((v, i) => checkValue(`${where}[${i}]`, prop.items as SchemaProperty, v));
        break;
      case "object":
        if (typeof value !== "object" || value === null || Array.isArray(value)) problems.push(`${where}: expected a map`);
        else if (prop.additionalProperties) {
          for (const [k, v] of Object.entries(value)) checkValue(`${where}.${k}`, prop.additionalProperties, v);
        }
        break;
      default:
        problems.push(`${where}: unsupported schema type ${String(prop.type)}`);
    }
  };
  const checkProps = (where: string, props: Record<string, SchemaProperty>, required: string[], value: unknown): void => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${where}: expected an object`);
      return;
    }
    const given = value as Record<string, unknown>;
    for (const name of required) if (!(name in given)) problems.push(`${where}: missing required ${name}`);
    for (const [name, v] of Object.entries(given)) {
      const prop = props[name];
      if (prop === undefined) problems.push(`${where}: unknown property ${name}`);
      else checkValue(`${where}.${name}`, prop, v);
    }
  };
  for (const [name, resource] of Object.entries(program.resources ?? {})) {
    const token = resource.type ?? "";
    if (!token.startsWith(`${schema.name}:`)) continue;
    const spec = schema.resources?.[token];
    if (spec === undefined) {
      problems.push(`resources.${name}: unknown type ${token}`);
      continue;
    }
    checkProps(`resources.${name}`, spec.inputProperties ?? {}, spec.requiredInputs ?? [], resource.properties ?? {});
  }
  return problems;
}
