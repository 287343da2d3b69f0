// browse — read-heavy (scenarios.md). Twin: gatling/Scenarios.browse().
import { DURATION, RATE, registerAndLogin, uploadAndAwaitReady, me, gallery, thumbnails, originalWithRevalidation } from './shutterbus.js';

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    browse: {
      executor: 'constant-arrival-rate',
      rate: RATE * 5,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.ceil(RATE * 10),
      maxVUs: Math.ceil(RATE * 100),
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    'http_req_duration{name:me}': ['p(95)<300', 'p(99)<1000'],
    'http_req_duration{name:gallery_page}': ['p(95)<300', 'p(99)<1000'],
    'http_req_duration{name:thumbnail}': ['p(95)<300', 'p(99)<1000'],
    'http_req_duration{name:original}': ['p(95)<300', 'p(99)<1000'],
    'http_req_duration{name:original_revalidate}': ['p(95)<300', 'p(99)<1000'],
  },
};

/** Four accounts with four ready images each, made before the measured part. */
export function setup() {
  const accounts = [];
  for (let a = 0; a < 4; a++) {
    const token = registerAndLogin('browse-setup');
    const originals = [];
    for (let i = 0; i < 4; i++) {
      originals.push(uploadAndAwaitReady(token).url);
    }
    accounts.push({ token, originals });
  }
  return { accounts };
}

export default function (/** @type {{accounts: {token: string, originals: string[]}[]}} */ data) {
  const account = data.accounts[Math.floor(Math.random() * data.accounts.length)];
  me(account.token);
  let page = gallery(account.token, 'gallery_page', '?limit=2');
  thumbnails(page);
  while (page.nextCursor) {
    page = gallery(account.token, 'gallery_page', `?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`);
    thumbnails(page);
  }
  originalWithRevalidation(account.originals[0]);
}
