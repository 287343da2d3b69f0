// Turns HTTP failures (RFC 9457 problem+json) into sentences people read. Status codes never reach
// the screen: each status a person can cause has its own plain explanation; the server's own
// detail (a sentence meant for people) is used where the status alone says too little.

export class ApiError extends Error {
  constructor(status, problem = null, retryAfter = null) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.field = problem && typeof problem.field === 'string' ? problem.field : null;
    this.retryAfter = retryAfter;
  }

  static network() {
    return new ApiError(0);
  }

  static sessionEnded() {
    return new ApiError(401, { type: 'session-ended' });
  }

  get sessionEnded() {
    return this.problem !== null && this.problem.type === 'session-ended';
  }

  static async fromResponse(res) {
    let problem = null;
    const type = res.headers.get('content-type') || '';
    if (type.includes('json')) {
      try {
        problem = await res.json();
      } catch {
        problem = null;
      }
    }
    return new ApiError(res.status, problem, res.headers.get('Retry-After'));
  }

  static fromXhr(xhr) {
    let problem = null;
    const type = xhr.getResponseHeader('content-type') || '';
    if (type.includes('json')) {
      try {
        problem = JSON.parse(xhr.responseText);
      } catch {
        problem = null;
      }
    }
    return new ApiError(xhr.status, problem, xhr.getResponseHeader('Retry-After'));
  }
}

const UNREACHABLE = 'We can’t reach Shutterbus right now. Check your connection and try again.';
const UNAVAILABLE = 'Shutterbus is having trouble right now. Please try again in a moment.';

function waitSentence(retryAfter) {
  const seconds = Number.parseInt(retryAfter, 10);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return 'Please wait a moment and try again.';
  }
  if (seconds < 90) {
    return `Please wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
  }
  return `Please wait about ${Math.round(seconds / 60)} minutes and try again.`;
}

function serverSentence(err, fallback) {
  const detail = err.problem && typeof err.problem.detail === 'string' ? err.problem.detail.trim() : '';
  return detail || fallback;
}

/**
 * One sentence for an error. context: 'signin', 'register', 'upload', 'avatar', 'image' (an action
 * on an existing picture) or 'general';
 * name: the file concerned, for uploads.
 */
export function describe(err, { context = 'general', name = '' } = {}) {
  if (!(err instanceof ApiError)) {
    return 'Something went wrong in this page. Please reload it and try again.';
  }
  const file = name ? `“${name}”` : 'This file';
  switch (err.status) {
    case 0:
      return UNREACHABLE;
    case 401:
      if (context === 'signin') {
        return 'That e-mail address and password don’t match an account. Check them and try again.';
      }
      return 'Your session has ended. Please sign in again.';
    case 404:
      return context === 'image'
        ? 'That picture no longer exists. It may have been deleted.'
        : 'Shutterbus couldn’t find what this page asked for. Please reload the page.';
    case 409:
      if (context === 'register') {
        return 'An account with this e-mail address already exists. Sign in instead, or use another address.';
      }
      return serverSentence(err, 'You have reached your storage limit. Delete some pictures to make room.');
    case 413:
      return `${file} is too large to upload. Please choose a smaller file.`;
    case 415:
      return `${file} isn’t a picture Shutterbus can use. Please choose a PNG, JPEG, GIF or WebP image.`;
    case 422:
      return `${file} has too many pixels. Please choose a picture with smaller dimensions.`;
    case 429:
      return `${context === 'signin' ? 'Too many sign-in attempts.' : 'Too many requests.'} ${waitSentence(err.retryAfter)}`;
    case 502:
    case 503:
    case 504:
      return UNAVAILABLE;
    default:
      if (err.status >= 500) {
        return 'Something went wrong on our side. Please try again.';
      }
      return serverSentence(err, 'That didn’t work. Please check what you entered and try again.');
  }
}

/** A reference people can quote to support, when the server gave one. */
export function reference(err) {
  return err instanceof ApiError && err.problem && typeof err.problem.requestId === 'string'
    ? err.problem.requestId
    : null;
}
