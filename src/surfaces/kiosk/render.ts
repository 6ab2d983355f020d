import type { CardHolder } from "../../core/cards/lobby";
import type { RegistrationOutcome } from "../../core/cards/registration";
import { documentOf } from "../../core/registry/customers";

/**
 * Seed 000's renderings. Document types travel as SUNAT catalogue codes: 1 DNI, 4 CE,
 * 6 RUC, 7 PASAPORTE; any other code is the registry's OTRO.
 */

const documentTypeByCode: Record<number, string> = { 1: "DNI", 4: "CE", 6: "RUC", 7: "PASAPORTE" };

/** The registry's document type for a `tipoDocumento` sent with a dni (DNI when none was sent). */
export function documentTypeOfCode(code: number | undefined): string {
  if (code === undefined) return "DNI";
  return documentTypeByCode[code] ?? "OTRO";
}

/** The `tipoDocumento` of a stored document type (0 for OTRO and the types SUNAT's short list lacks); null without a document. */
export function codeOfDocumentType(type: string | null): number | null {
  if (type === null) return null;
  const entry = Object.entries(documentTypeByCode).find(([, name]) => name === type);
  return entry ? Number(entry[0]) : 0;
}

const answers: Record<RegistrationOutcome, { status: 200 | 201; mensaje: "cliente nuevo" | "tarjeta agregada al cliente existente" | "registro duplicado" }> = {
  new_customer: { status: 201, mensaje: "cliente nuevo" },
  card_added: { status: 201, mensaje: "tarjeta agregada al cliente existente" },
  duplicate: { status: 200, mensaje: "registro duplicado" },
};

/** The registration answer and its status: `{id, tarjeta, mensaje, esDuplicado}`, `tarjeta` echoed as sent. */
export function renderRegistration(customerId: number, tarjeta: string, outcome: RegistrationOutcome) {
  const { status, mensaje } = answers[outcome];
  return { status, body: { id: customerId, tarjeta, mensaje, esDuplicado: outcome === "duplicate" } };
}

/** The lobby's client: the VLT code shown is the newest the client registered with; a consent never given is no consent. */
export function renderLobbyClient({ customer, cardUid }: CardHolder) {
  const document = documentOf(customer.identity);
  const vltCodes = customer.identity.vlt_code;
  const vltCode = vltCodes[vltCodes.length - 1]?.value;
  return {
    id: customer.id,
    nombre: customer.name,
    apellidoPaterno: customer.paternalSurname,
    apellidoMaterno: customer.maternalSurname,
    tipoDocumento: codeOfDocumentType(document?.type ?? null),
    dni: document?.number ?? null,
    codigoClienteVLT: vltCode === undefined ? null : Number(vltCode),
    enviarWhatsApp: customer.consentWhatsapp ?? false,
    enviarCorreo: customer.consentEmail ?? false,
    enviarSms: customer.consentSms ?? false,
    tarjeta: cardUid,
  };
}
