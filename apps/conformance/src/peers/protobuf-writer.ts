/**
 * The little of the protobuf wire format needed to write an ONNX model: varints and
 * length-delimited fields. Messages are built bottom-up as byte arrays.
 */

const varintWire = 0;
const lengthDelimitedWire = 2;

/** A message under construction: append fields, then `bytes()`. */
export class ProtobufWriter {
  private readonly chunks: number[] = [];

  /** An integer field (int32/int64/enum/bool); non-negative values only. */
  varint(field: number, value: number): this {
    this.key(field, varintWire);
    this.rawVarint(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  /** A nested message or raw bytes. */
  bytesField(field: number, value: Uint8Array): this {
    this.key(field, lengthDelimitedWire);
    this.rawVarint(value.length);
    for (const byte of value) {
      this.chunks.push(byte);
    }
    return this;
  }

  message(field: number, message: ProtobufWriter): this {
    return this.bytesField(field, message.bytes());
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  private key(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`ProtobufWriter: ${value} is not a non-negative safe integer`);
    }
    let rest = value;
    while (rest >= 0x80) {
      this.chunks.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.chunks.push(rest);
  }
}
