/** Fills empty form fields once their defaults have loaded (initialValues only apply at mount). */
import type { FormInstance } from 'antd';
import { useEffect } from 'react';

export function useFormDefaults(form: FormInstance, defaults: Record<string, unknown>): void {
  const key = JSON.stringify(defaults);
  useEffect(() => {
    for (const [name, value] of Object.entries(defaults)) {
      if (value !== undefined && form.getFieldValue(name) === undefined) form.setFieldValue(name, value);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, form]);
}
