import { type FormEvent, useRef, useState } from 'react';

/**
 * A small form state for the public pages, shaped like a subset of @mantine/form (values by dotted path,
 * getInputProps, setFieldValue, setErrors, onSubmit with rules), so the public entry stays under its budget
 * without @mantine/form (~6 KB gzipped). Console forms can use @mantine/form itself.
 */
export type Rule<V> = (value: any, values: V) => string | null;
export type Errors = Record<string, string>;

function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), obj);
}

function setPath<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const o = (obj ?? {}) as Record<string, unknown>;
  return { ...o, [head]: rest.length === 0 ? value : setPath(o[head], rest.join('.'), value) } as T;
}

export function useLightForm<V extends object>(opts: {
  initialValues: V;
  validate?: Record<string, Rule<V>>;
}) {
  const [values, setValues] = useState<V>(opts.initialValues);
  const [errors, setErrorsState] = useState<Errors>({});
  // the latest values, for handlers that run before a re-render
  const current = useRef(values);
  current.current = values;

  const setFieldValue = (path: string, value: unknown) => {
    current.current = setPath(current.current, path, value);
    setValues(current.current);
    setErrorsState((e) => {
      if (!(path in e)) return e;
      const { [path]: _gone, ...rest } = e;
      return rest;
    });
  };

  const validate = (): Errors => {
    const out: Errors = {};
    for (const [path, rule] of Object.entries(opts.validate ?? {})) {
      const msg = rule(getPath(current.current, path), current.current);
      if (msg) out[path] = msg;
    }
    return out;
  };

  return {
    values,
    errors,
    setFieldValue,
    setErrors: (e: Errors) => setErrorsState(e),
    getInputProps(path: string, o: { type?: 'input' | 'checkbox' } = {}) {
      const v = getPath(values, path);
      const onChange = (e: unknown) => {
        const t = (e as { currentTarget?: HTMLInputElement } | null)?.currentTarget;
        const next = t && 'value' in t ? (o.type === 'checkbox' ? t.checked : t.value) : e;
        setFieldValue(path, next);
      };
      const error = errors[path] ?? undefined;
      return o.type === 'checkbox'
        ? { checked: Boolean(v), onChange, error }
        : { value: (v ?? '') as string, onChange, error };
    },
    onSubmit(handler: (values: V) => void | Promise<void>, onInvalid?: (errors: Errors) => void) {
      return (event?: FormEvent) => {
        event?.preventDefault();
        const found = validate();
        setErrorsState(found);
        if (Object.keys(found).length > 0) onInvalid?.(found);
        else void handler(current.current);
      };
    },
  };
}
