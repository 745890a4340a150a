// Recognises infrastructure failures so every face can answer them as domain errors.
import { DomainError, UnavailableError } from '../domain/errors.js';
import { isUnavailable } from '../db/errors.js';

/** The domain error an unexpected error stands for, or null when it is a real bug. */
export function asDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (isUnavailable(error)) return new UnavailableError();
  return null;
}
