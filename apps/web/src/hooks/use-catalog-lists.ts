import { useEffect, useState } from 'react';
import { get, type DepartmentInfo, type MeasureList } from '../api';

/**
 * Lists that fill filter drop-downs: asked once per page load and shared by every page that shows them.
 * A failure forgets the promise, so the next page to mount asks again; until then the list is empty.
 */
function cachedList<T>(load: () => Promise<T[]>): () => T[] {
  let cache: Promise<T[]> | null = null;
  return function useCachedList(): T[] {
    const [list, setList] = useState<T[]>([]);
    useEffect(() => {
      cache ??= load();
      cache.then(setList).catch(() => {
        cache = null;
      });
    }, []);
    return list;
  };
}

export const useDepartments = cachedList(() => get<{ items: DepartmentInfo[] }>('/departments').then((r) => r.items));

/** Every measure (about 300), for the screening results' measure filter and titles. */
export const useAllMeasures = cachedList(() => get<MeasureList>('/measures?limit=500').then((r) => r.items));
