import { useEffect } from 'react';

/** Sets the browser tab title; every page also has its own h1. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Jakpreneur` : 'Jakpreneur';
  }, [title]);
}
