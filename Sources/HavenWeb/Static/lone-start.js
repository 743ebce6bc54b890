// The start page: offers to add the phone's position to the visit (the worker chooses; nothing is read without the
// button). Without JavaScript or location services the button stays hidden and the form works as before.
(function () {
  "use strict";
  var box = document.getElementById("lone-position");
  var button = document.getElementById("lone-position-button");
  var status = document.getElementById("lone-position-status");
  var latitude = document.getElementById("latitude");
  var longitude = document.getElementById("longitude");
  if (!box || !button || !navigator.geolocation) { return; }
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "Finding your position…";
    navigator.geolocation.getCurrentPosition(function (position) {
      latitude.value = position.coords.latitude.toFixed(6);
      longitude.value = position.coords.longitude.toFixed(6);
      status.textContent = "Position added (accurate to about " + Math.round(position.coords.accuracy) + " metres).";
    }, function () {
      status.textContent = "Your position could not be found. You can start the visit without it.";
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
