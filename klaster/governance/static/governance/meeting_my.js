// A representative's meeting page: reload when a vote opens or closes, or the meeting's status
// changes. A static file (the Content-Security-Policy allows no inline script); the page passes
// its values in the data- attributes of the <script> element that loads this file.
(function () {
  const data = document.currentScript.dataset;
  const url = data.url;
  const shown = {status: data.status, vote: data.vote ? Number(data.vote) : null};
  async function poll() {
    try {
      const r = await fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"});
      if (!r.ok) return;
      const s = await r.json();
      const vote = s.vote ? s.vote.id : null;
      if (vote !== shown.vote || s.status !== shown.status) window.location.reload();
    } catch (e) { /* the next poll tries again */ }
  }
  setInterval(poll, 3000);
})();
