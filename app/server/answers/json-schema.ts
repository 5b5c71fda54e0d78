/**
 * JSON Schemas (draft 2020-12) for the JSON files of the archives. A store file's schema is exact
 * for its frame and derived from the data for the content: every member seen, with every JSON type
 * seen, and nothing else allowed. Dates are checked by pattern, so any validator can check them
 * without format plug-ins.
 */
import { processingActivityIds } from "#app/core/processing-activities";
import { storeKinds } from "#app/core/store-kinds";
import type { JsonObject } from "#app/sources/connector";
import { redactionReasonCodes } from "./redaction";
import type { JsonType, Shape } from "./summary";
// The role and identifier labels are complete records over their unions, so their keys are the lists.
import { answersDe } from "./texts.de";

const DRAFT = "https://json-schema.org/draft/2020-12/schema";
const ISO_INSTANT = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$";
const TYPE_ORDER: readonly JsonType[] = ["object", "array", "string", "number", "boolean", "null"];

export function shapeSchema(shape: Shape): JsonObject {
  const types = TYPE_ORDER.filter((t) => shape.types.has(t));
  const schema: JsonObject = { type: types.length === 1 ? types[0]! : types };
  if (shape.types.has("object") && shape.properties) {
    schema.properties = Object.fromEntries(
      [...shape.properties].map(([key, child]) => [key, shapeSchema(child)]),
    );
    schema.additionalProperties = false;
  }
  if (shape.types.has("array") && shape.items && shape.items.types.size > 0)
    schema.items = shapeSchema(shape.items);
  return schema;
}

const instant = { type: "string", pattern: ISO_INSTANT };
const nullableInstant = { type: ["string", "null"], pattern: ISO_INSTANT };

export function storeFileSchema(title: string, content: Shape): JsonObject {
  return {
    $schema: DRAFT,
    title,
    type: "object",
    required: ["reference", "answeredAt", "store", "storeKind", "processingActivities", "records"],
    additionalProperties: false,
    properties: {
      reference: { type: "string" },
      answeredAt: instant,
      store: { type: "string" },
      storeKind: { enum: [...storeKinds] },
      processingActivities: {
        description: "Names of the processing activities the records belong to, by id.",
        type: "object",
        propertyNames: { enum: [...processingActivityIds] },
        additionalProperties: { type: "string" },
      },
      records: { type: "array", items: { $ref: "#/$defs/record" } },
    },
    $defs: {
      record: {
        type: "object",
        required: [
          "ref",
          "processingActivityId",
          "recordedAt",
          "role",
          "matchedIdentifier",
          "content",
          "redactions",
        ],
        additionalProperties: false,
        properties: {
          ref: { description: "Identifier of the record in its store.", type: "string" },
          processingActivityId: { enum: [...processingActivityIds] },
          recordedAt: nullableInstant,
          role: {
            description: "Your part in the record, where it concerns several people.",
            enum: [...Object.keys(answersDe.roles), null],
          },
          matchedIdentifier: {
            description:
              "The identifier of yours through which the record was found, and how the record writes it.",
            type: "object",
            required: ["kind", "value", "recordValue"],
            additionalProperties: false,
            properties: {
              kind: { enum: Object.keys(answersDe.identifierKinds) },
              value: { type: "string" },
              recordValue: { type: "string" },
            },
          },
          content: {
            description: "The record's fields; a redacted field is null and listed under redactions.",
            ...shapeSchema(content),
          },
          redactions: { type: "array", items: { $ref: "#/$defs/redaction" } },
        },
      },
      redaction: {
        type: "object",
        required: ["field", "reasonCode", "legalReference"],
        additionalProperties: false,
        properties: {
          field: { description: "Dotted path into content; a number indexes a list.", type: "string" },
          reasonCode: { enum: [...redactionReasonCodes] },
          legalReference: { type: "string" },
        },
      },
    },
  };
}

export function manifestSchema(title: string): JsonObject {
  return {
    $schema: DRAFT,
    title,
    type: "object",
    required: ["reference", "archive", "createdAt", "algorithm", "files"],
    additionalProperties: false,
    properties: {
      reference: { type: "string" },
      archive: { enum: ["access", "portability"] },
      createdAt: instant,
      algorithm: { const: "SHA-256" },
      files: {
        description: "Every other file of the archive, in archive order.",
        type: "array",
        items: {
          type: "object",
          required: ["path", "bytes", "sha256"],
          additionalProperties: false,
          properties: {
            path: { type: "string" },
            bytes: { type: "integer", minimum: 0 },
            sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
          },
        },
      },
    },
  };
}
