// Sample customisation of the chat toolbox. Set Config properties for this page in
// customizePage (it runs when the toolbox has loaded), and for each chat request in
// customizeRequest (it runs just before the chat is requested).
window.Mitel = window.Mitel || {};
window.Mitel.ChatToolbox = window.Mitel.ChatToolbox || {};

window.Mitel.ChatToolbox.customizePage = function () {
  var config = window.Mitel.ChatToolbox.Config;
  config.ServiceGroupName = 'Sales';
  config.ToolboxPosition = 'bottom-right';
  config.ShowEstimatedWaitTime = true;
};

window.Mitel.ChatToolbox.customizeRequest = function () {
  var config = window.Mitel.ChatToolbox.Config;
  config.PrivateData = 'page=' + window.location.pathname;
};
