import { invalid } from '../errors.js';
import { isE164 } from '../validation.js';

/**
 * Account-level SMS settings and the SMS sandbox: stubs that answer as an account outside the
 * sandbox with nobody opted out. SetSMSAttributes values are kept in memory only.
 */
export function smsOperations() {
  const settings = new Map<string, string>();
  return {
    GetSMSAttributes(input: { attributes?: string[] }) {
      const names = input.attributes?.length ? input.attributes : [...settings.keys()];
      const attributes: Record<string, string> = {};
      for (const n of names) {
        const v = settings.get(n);
        if (v !== undefined) attributes[n] = v;
      }
      return { attributes };
    },
    SetSMSAttributes(input: { attributes?: Record<string, string> }) {
      for (const [k, v] of Object.entries(input.attributes ?? {})) settings.set(k, v);
    },
    CheckIfPhoneNumberIsOptedOut(input: { phoneNumber?: string }) {
      if (!input.phoneNumber || !isE164(input.phoneNumber)) throw invalid('PhoneNumber');
      return { isOptedOut: false };
    },
    ListPhoneNumbersOptedOut() {
      return { phoneNumbers: [] };
    },
    OptInPhoneNumber(input: { phoneNumber?: string }) {
      if (!input.phoneNumber || !isE164(input.phoneNumber)) throw invalid('PhoneNumber');
    },
    GetSMSSandboxAccountStatus() {
      return { IsInSandbox: false };
    },
    ListSMSSandboxPhoneNumbers() {
      return { PhoneNumbers: [] };
    },
    ListOriginationNumbers() {
      return { PhoneNumbers: [] };
    },
    reset() {
      settings.clear();
    },
  };
}
