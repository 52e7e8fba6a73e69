// The sign-in page: "Gửi lại mã" waits as long as the server will (60 s by default), counting
// down in a polite live region, so nobody taps it into a refusal. The server enforces it too.

function countdown(button, status) {
  let left = Number.parseInt(button.dataset.wait, 10) || 0;
  const template = button.dataset.waitText || "%(s)s";
  const render = () => {
    button.disabled = left > 0;
    status.textContent = left > 0 ? template.replace("%(s)s", String(left)) : "";
  };
  render();
  if (left <= 0) return;
  const timer = setInterval(() => {
    left -= 1;
    render();
    if (left <= 0) clearInterval(timer);
  }, 1000);
}

const button = document.getElementById("resend");
const status = document.getElementById("resend-wait");
if (button && status) countdown(button, status);
