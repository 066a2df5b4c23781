// The guide's only script (the app's CSP allows no inline script): 「印刷する（A4）」 opens the print dialog.
for (const button of document.querySelectorAll('[data-print]')) button.addEventListener('click', () => window.print());
