// Uploads with XMLHttpRequest, the one browser API that reports upload progress. A 401 gets one
// token refresh and one retry, like every other call.
import { ApiError } from './problems.js';
import { accessToken, renewAfter401 } from './session.js';

export const ACCEPTED_TYPES = 'image/png,image/jpeg,image/gif,image/webp';

function sendOnce(file, purpose, onProgress, handle) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    handle.xhr = xhr;
    xhr.open('POST', '/api/images');
    xhr.setRequestHeader('Accept', 'application/json');
    const token = accessToken();
    if (token) {
      xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    }
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) {
        onProgress(e.loaded / e.total);
      }
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch {
          reject(new ApiError(xhr.status));
        }
      } else {
        reject(ApiError.fromXhr(xhr));
      }
    });
    xhr.addEventListener('error', () => reject(ApiError.network()));
    xhr.addEventListener('timeout', () => reject(ApiError.network()));
    xhr.addEventListener('abort', () => reject(new DOMException('Upload cancelled', 'AbortError')));
    const form = new FormData();
    // The server reads fields in order: the purpose must come before the file.
    if (purpose) {
      form.append('purpose', purpose);
    }
    form.append('image', file, file.name);
    xhr.send(form);
  });
}

/**
 * Starts an upload. Returns {done, cancel}: done resolves with the 202 body {id, status, url} and
 * rejects with an ApiError (or an AbortError after cancel). onProgress(fraction) follows the bytes.
 */
export function uploadImage(file, { purpose = null, onProgress = () => {} } = {}) {
  const handle = { xhr: null, cancelled: false };
  const done = (async () => {
    try {
      return await sendOnce(file, purpose, onProgress, handle);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && !handle.cancelled && (await renewAfter401())) {
        onProgress(0);
        return sendOnce(file, purpose, onProgress, handle);
      }
      throw err;
    }
  })();
  return {
    done,
    cancel() {
      handle.cancelled = true;
      if (handle.xhr) {
        handle.xhr.abort();
      }
    },
  };
}
