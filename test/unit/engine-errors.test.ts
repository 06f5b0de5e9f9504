import { transferHandlers } from 'comlink';
import { describe, expect, it } from 'vitest';
import { EngineError, abortError, installErrorTransfer, isAbortError, isEngineError, toEngineError } from '../../src/features/engine/shared/engine-errors.ts';

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('toEngineError', () => {
  it('keeps an EngineError as it is', () => {
    const e = new EngineError('integrity', 'bad bytes');
    expect(toEngineError(e, 'inference', 'x')).toBe(e);
  });

  it.each([
    [named('ManifestError', 'The model manifest x is invalid: y.'), 'manifest'],
    [named('PreprocessError', 'The image has no pixels (0×0).'), 'bad-image'],
    [named('InvalidStateError', 'The source image could not be decoded.'), 'bad-image'],
    [named('ModelOutputError', 'The model did not return the output "z".'), 'manifest'],
    [new Error('device was lost'), 'device-lost'],
    [new TypeError('Failed to fetch'), 'download'],
    [new Error('something odd'), 'inference'],
  ])('maps %s to %s', (err, code) => {
    const e = toEngineError(err, 'inference', 'running the model');
    expect(e).toBeInstanceOf(EngineError);
    expect(e.code).toBe(code);
    expect(e.cause).toBe(err);
  });

  it('says what was being done and what to try', () => {
    expect(toEngineError(new Error('boom'), 'session-create', 'creating the WebGPU session').message).toBe(
      'Failed while creating the WebGPU session: boom',
    );
    const oom = toEngineError(new RangeError('WebAssembly.Memory(): could not allocate memory: out of memory'), 'session-create', 'loading the model');
    expect(oom.code).toBe('session-create');
    expect(oom.message).toMatch(/Ran out of memory while loading the model.*\?variant=int8/);
    const pre = toEngineError(named('PreprocessError', 'The image has no pixels (0×0).'), 'bad-image', 'x');
    expect(pre.message).toMatch(/Try another photo/);
  });

  it('describes non-Error throws (ORT sometimes throws numbers)', () => {
    expect(toEngineError(12345, 'inference', 'running').message).toMatch(/the ONNX runtime aborted \(code 12345\)/);
    expect(toEngineError({ a: 1 }, 'inference', 'running').message).toMatch(/\{"a":1\}/);
  });

  it('maps an AbortError to code aborted', () => {
    expect(toEngineError(abortError(), 'inference', 'x').code).toBe('aborted');
  });
});

describe('abortError', () => {
  it('is a DOMException named AbortError', () => {
    const e = abortError('user left the page');
    expect(e).toBeInstanceOf(DOMException);
    expect(e.name).toBe('AbortError');
    expect(e.message).toMatch(/user left the page/);
    expect(isAbortError(e)).toBe(true);
    expect(isAbortError(new Error('x'))).toBe(false);
  });

  it('passes an AbortError reason through', () => {
    const reason = new DOMException('stop', 'AbortError');
    expect(abortError(reason)).toBe(reason);
  });
});

describe('error transfer across comlink', () => {
  installErrorTransfer();
  const handler = transferHandlers.get('throw')!;
  const roundTrip = (value: unknown): unknown => {
    const [wire] = handler.serialize({ value });
    // What crosses the boundary must be structured-cloneable.
    const cloned = structuredClone(wire);
    try {
      handler.deserialize(cloned);
    } catch (err) {
      return err;
    }
    throw new Error('deserialize did not throw');
  };

  it('keeps the code of an EngineError', () => {
    const e = roundTrip(new EngineError('timeout', 'too slow'));
    expect(e).toBeInstanceOf(EngineError);
    expect(isEngineError(e)).toBe(true);
    expect(e).toMatchObject({ code: 'timeout', message: 'too slow', name: 'EngineError' });
  });

  it('rebuilds an AbortError as a DOMException', () => {
    const e = roundTrip(abortError());
    expect(e).toBeInstanceOf(DOMException);
    expect((e as DOMException).name).toBe('AbortError');
  });

  it('keeps name and message of other errors, and non-errors as they are', () => {
    expect(roundTrip(named('ManifestError', 'bad'))).toMatchObject({ name: 'ManifestError', message: 'bad' });
    expect(roundTrip('plain string')).toBe('plain string');
  });

  it('installs once', () => {
    installErrorTransfer();
    expect(transferHandlers.get('throw')).toBe(handler);
  });
});
