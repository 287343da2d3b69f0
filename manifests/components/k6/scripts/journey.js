// journey — a new user's first visit (scenarios.md). Twin: gatling/Scenarios.journey().
import { DURATION, RATE, registerAndLogin, uploadAndAwaitReady, gallery, thumbnails, refresh } from './shutterbus.js';

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    journey: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.ceil(RATE * 10),
      maxVUs: Math.ceil(RATE * 60),
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    'http_req_duration{name:register}': ['p(95)<1500', 'p(99)<3000'],
    'http_req_duration{name:login}': ['p(95)<1500', 'p(99)<3000'],
    'http_req_duration{name:upload}': ['p(95)<1000', 'p(99)<2000'],
    'http_req_duration{name:image_status}': ['p(95)<300', 'p(99)<1000'],
    'http_req_duration{name:gallery}': ['p(95)<300', 'p(99)<1000'],
    'http_req_duration{name:thumbnail}': ['p(95)<300', 'p(99)<1000'],
    'http_req_duration{name:refresh}': ['p(95)<300', 'p(99)<1000'],
    accepted_to_ready: ['p(99)<5000'],
  },
};

export default function () {
  const token = registerAndLogin('journey');
  for (let i = 0; i < 3; i++) {
    uploadAndAwaitReady(token);
  }
  thumbnails(gallery(token, 'gallery', '?limit=20'));
  refresh();
}

