// burst — upload burst with a ramping arrival rate, the HPA drill (scenarios.md). Twin: gatling/Scenarios.burst().
import { DURATION, RATE, registerAndLogin, uploadAndAwaitReady, seconds } from './shutterbus.js';

const total = seconds(DURATION);
const peak = Math.max(1, RATE * 10);

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    burst: {
      executor: 'ramping-arrival-rate',
      startRate: 1,
      timeUnit: '1s',
      stages: [
        { target: peak, duration: `${Math.round((total * 2) / 3)}s` },
        { target: peak, duration: `${Math.round(total / 3)}s` },
      ],
      preAllocatedVUs: Math.ceil(peak * 2),
      maxVUs: Math.ceil(peak * 20),
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    'http_req_duration{name:upload}': ['p(95)<1000', 'p(99)<2000'],
    'http_req_duration{name:image_status}': ['p(95)<300', 'p(99)<1000'],
    accepted_to_ready: ['p(99)<5000'],
  },
};

/** Ten accounts the uploads are spread over (one account's quota would cap the burst). */
export function setup() {
  const tokens = [];
  for (let i = 0; i < 10; i++) {
    tokens.push(registerAndLogin('burst-setup'));
  }
  return { tokens };
}

export default function (/** @type {{tokens: string[]}} */ data) {
  uploadAndAwaitReady(data.tokens[Math.floor(Math.random() * data.tokens.length)]);
}
