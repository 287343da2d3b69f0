// Uploads the gallery's new cards a few at a time, each with its own progress. It keeps going if
// the person leaves the page: the pictures are there when they come back.
import { uploadImage } from '../uploads.js';

export class UploadQueue {
  /**
   * onAccepted(card, body): the server took the file (202). onFailed(card, err): it did not, or
   * the upload was cancelled (err.name === 'AbortError').
   */
  constructor({ parallel = 3, onAccepted, onFailed }) {
    this.parallel = parallel;
    this.onAccepted = onAccepted;
    this.onFailed = onFailed;
    this.waiting = [];
    this.running = 0;
  }

  add(card) {
    this.waiting.push(card);
    this.pump();
  }

  /** Takes a card out before it started; false when it is already on its way. */
  withdraw(card) {
    const i = this.waiting.indexOf(card);
    if (i < 0) {
      return false;
    }
    this.waiting.splice(i, 1);
    return true;
  }

  pump() {
    while (this.running < this.parallel && this.waiting.length > 0) {
      const card = this.waiting.shift();
      this.running += 1;
      this.send(card).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  async send(card) {
    card.setUploading(0);
    card.upload = uploadImage(card.file, { onProgress: (fraction) => card.setUploading(Math.round(fraction * 100)) });
    try {
      const accepted = await card.upload.done;
      card.upload = null;
      this.onAccepted(card, accepted);
    } catch (err) {
      card.upload = null;
      this.onFailed(card, err);
    }
  }
}
