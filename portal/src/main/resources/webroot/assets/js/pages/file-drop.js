// Files dropped anywhere on the page go to onFiles, and the drop zone lights up while something is
// dragged over. Listening on the window matters: a file dropped outside the zone would otherwise
// make the browser leave the page to open it.

const carriesFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files');

/** Starts listening; returns the function that stops. */
export function acceptDroppedFiles(zone, onFiles, activeClass = 'dropzone-active') {
  let depth = 0; // dragenter/dragleave fire for every child crossed
  const listeners = {
    dragenter: (event) => {
      if (carriesFiles(event)) {
        event.preventDefault();
        depth += 1;
        zone.classList.add(activeClass);
      }
    },
    dragover: (event) => {
      if (carriesFiles(event)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }
    },
    dragleave: (event) => {
      if (carriesFiles(event)) {
        depth = Math.max(0, depth - 1);
        if (depth === 0) {
          zone.classList.remove(activeClass);
        }
      }
    },
    drop: (event) => {
      if (carriesFiles(event)) {
        event.preventDefault();
        depth = 0;
        zone.classList.remove(activeClass);
        onFiles(event.dataTransfer.files);
      }
    },
  };
  for (const [type, fn] of Object.entries(listeners)) {
    window.addEventListener(type, fn);
  }
  return () => {
    for (const [type, fn] of Object.entries(listeners)) {
      window.removeEventListener(type, fn);
    }
  };
}
