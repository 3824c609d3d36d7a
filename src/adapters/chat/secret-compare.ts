/** Kept for the chat adapters' imports; the comparison lives in the domain (signals use it too). */
export { safeEqual } from '../../domain/safe-equal.ts';
