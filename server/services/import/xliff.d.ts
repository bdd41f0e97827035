// The xliff package ships no type declarations. These cover the two entry points the importer
// uses, called without a callback (they then return a promise). The result is left `unknown`
// on purpose: parseXliff checks its shape rather than trusting it.

declare module 'xliff/xliff12ToJs' {
  /** Converts an XLIFF 1.x document to the library's JS form; rejects on malformed XML. */
  export default function xliff12ToJs(xml: string, options?: { captureSpacesBetweenElements?: boolean; namespace?: string }): Promise<unknown>;
}

declare module 'xliff/xliff2js' {
  /** Converts an XLIFF 2.x document to the library's JS form; rejects on malformed XML. */
  export default function xliff2js(xml: string, options?: { namespace?: string }): Promise<unknown>;
}
