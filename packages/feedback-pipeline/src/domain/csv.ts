export interface CsvRecord {
  /** The physical line on which the record starts (1-based). */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 reader fed one physical line at a time (as node:readline yields them). A quoted field may
 * contain commas, doubled quotes and line breaks; a record that spans lines is returned once its closing
 * quote is seen. Unquoted fields are taken literally.
 */
export class CsvReader {
  #fields: string[] = [];
  #field = '';
  #inQuotes = false;
  #startLine = 0;

  /** True while a quoted field is open across lines. */
  get pending(): boolean {
    return this.#inQuotes;
  }

  push(line: string, lineNo: number): CsvRecord | undefined {
    if (!this.#inQuotes) this.#startLine = lineNo;
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.#inQuotes) {
        if (ch !== '"') this.#field += ch;
        else if (text[i + 1] === '"') {
          this.#field += '"';
          i++;
        } else this.#inQuotes = false;
      } else if (ch === ',') {
        this.#fields.push(this.#field);
        this.#field = '';
      } else if (ch === '"' && this.#field === '') this.#inQuotes = true;
      else this.#field += ch;
    }
    if (this.#inQuotes) {
      this.#field += '\n';
      return undefined;
    }
    return this.#take();
  }

  /** Call at end of input: a record still inside quotes is unterminated. */
  end(): { line: number; error: string } | undefined {
    if (!this.#inQuotes) return undefined;
    this.#inQuotes = false;
    this.#take();
    return { line: this.#startLine, error: 'Unterminated quoted field' };
  }

  #take(): CsvRecord {
    this.#fields.push(this.#field);
    const record = { line: this.#startLine, fields: this.#fields };
    this.#fields = [];
    this.#field = '';
    return record;
  }
}
