// The chair's live page: quorum, presence, the open vote's tally and the attendance list,
// refreshed every 2 seconds. A static file (the Content-Security-Policy allows no inline
// script); the page passes the feed's URL and the translated mode names in data- attributes.
(function () {
  const data = document.currentScript.dataset;
  const url = data.url;
  const modes = {in_person: data.modeInPerson, online: data.modeOnline, absent: data.modeAbsent, proxy: data.modeProxy};
  const set = (id, v) => { const el = document.getElementById(id); if (el) el.textContent = v; };
  function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); }
  async function poll() {
    try {
      const r = await fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"});
      if (!r.ok) return;
      const s = await r.json();
      if (s.quorum) { const q = document.getElementById("quorum"); q.textContent = s.quorum.reason; q.className = s.quorum.met ? "ok" : "errorlist"; }
      set("entitled", s.entitled); set("in-person", s.presence.in_person); set("online", s.presence.online); set("by-proxy", s.presence.proxy);
      if (s.vote) { set("t-for", s.vote.counts.for); set("t-against", s.vote.counts.against); set("t-abstain", s.vote.counts.abstain); set("t-cast", s.vote.cast); set("t-may", s.vote.may_vote); }
      const body = document.querySelector("#attendance tbody"); body.replaceChildren();
      for (const a of s.attendance) { const tr = document.createElement("tr"); cell(tr, a.name); cell(tr, a.person); cell(tr, modes[a.mode] || a.mode); cell(tr, a.in); cell(tr, a.out); body.appendChild(tr); }
      const rep = document.getElementById("represented"); rep.replaceChildren();
      for (const p of s.represented) { const li = document.createElement("li"); li.textContent = p.name + " → " + p.holder; rep.appendChild(li); }
    } catch (e) { /* the next poll tries again */ }
  }
  poll();
  setInterval(poll, 2000);
})();
