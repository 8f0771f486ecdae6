// The portal hands driftwise two files and a status line follows its events. The files come from
// the portal's own server: nothing leaves the network the portal runs in.
const review = document.getElementById('review');
const status = document.getElementById('portal-status');
const text = (name) => fetch(name).then((r) => r.text());

async function reviewDev() {
  review.load({
    files: [
      { name: 'app-base.yaml', text: await text('app-base.yaml') },
      { name: 'app-dev.yaml', text: await text('app-dev.yaml') },
    ],
  });
}

review.addEventListener('driftwise-ready', () => {
  status.textContent = 'driftwise is ready.';
  reviewDev();
});
review.addEventListener('driftwise-report', (e) => {
  status.textContent = `Report: ${e.detail.findings.length} findings in ${e.detail.environments.length} environment(s).`;
  status.dataset.findings = String(e.detail.findings.length);
});
review.addEventListener('driftwise-plan', (e) => {
  status.dataset.planActions = String(e.detail.actions.length);
});
review.addEventListener('driftwise-export', (e) => {
  status.dataset.exported = e.detail.format;
});
document.getElementById('check').addEventListener('click', reviewDev);
