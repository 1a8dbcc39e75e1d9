// Diagnostic twin of the site's worker that only answers: each message comes back at once with the
// answers it carried, so the benchmark can tell the messaging floor of an answer change (page to a
// worker and back, no Python) from the rest of a round trip.
self.onmessage = (event) => self.postMessage({ type: "result", id: event.data.id, json: event.data.answers });
