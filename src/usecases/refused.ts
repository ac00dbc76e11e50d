/* A use case's refusal before anything is written: a kind and its facts; the command turns it into its message. */
export class Refused<R extends { readonly kind: string }> extends Error {
  public constructor(public readonly refusal: R) {
    super(refusal.kind);
    this.name = 'Refused';
  }
}
