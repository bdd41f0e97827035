// The xliff package ships no type declarations. These cover what the exporter (and its tests)
// use from the package root, each called without a callback so that it returns a promise.

declare module 'xliff' {
  /** One translation unit of the library's JS form. */
  export interface XliffJsUnit {
    source: string;
    target?: string;
    note?: string;
    additionalAttributes?: Record<string, string>;
  }
  /** The library's JS form of an XLIFF document: files (namespaces) of units by id. */
  export interface XliffJs {
    sourceLanguage: string;
    targetLanguage: string;
    resources: Record<string, Record<string, XliffJsUnit>>;
  }
  /** Builds the JS form for one file `ns` from source texts, target texts and notes keyed by unit id. */
  export function createjs(
    srcLang: string,
    trgLang: string,
    srcKeys: Record<string, string>,
    trgKeys: Record<string, string>,
    ns: string,
    cb: undefined,
    ntKeys?: Record<string, string>,
  ): Promise<XliffJs>;
  /** Serialises the JS form as XLIFF 2.0 (or `targetXliffVersion`). */
  export function js2xliff(obj: XliffJs, opt?: { indent?: string; targetXliffVersion?: '2.0' | '2.1' | '2.2' }): Promise<string>;
  /** Parses an XLIFF 2.x document into the JS form; rejects on malformed XML. */
  export function xliff2js(xml: string): Promise<unknown>;
}
