// Card payment with Stripe.js Elements (production): the card number goes from the browser
// straight to Stripe. When Stripe confirms, the form posts to TCloud, which reads the
// PaymentIntent itself; the webhook remains the source of truth.
(function () {
  var form = document.getElementById("card-form");
  if (!form || typeof Stripe === "undefined") { return; }
  var stripe = Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var errors = document.getElementById("card-errors");
  var sent = false;
  form.addEventListener("submit", function (event) {
    if (sent) { return; }
    event.preventDefault();
    stripe.confirmCardPayment(form.dataset.secret, {payment_method: {card: card}})
      .then(function (result) {
        if (result.error) { errors.textContent = result.error.message; return; }
        sent = true;
        form.submit();
      });
  });
})();
