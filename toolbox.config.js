/* global Mitel */
// Defaults of Mitel.ChatToolbox.Config for every page that embeds the chat toolbox (the
// specification's Config.js). CustomerChat reads this file when it starts, from the folder of
// web.config.json: edit it and restart, no rebuild. A property left out keeps its built-in
// default; pages change values in customizePage and customizeRequest.
Mitel.ChatToolbox.Config = {
  ToolboxAvailable: true,
  ShowWhenUnavailable: true,
  StatePollInterval: 20,
  ShowEstimatedWaitTime: true,
  TenantID: -1,
  ServiceGroupID: 0,
  ServiceGroupName: 'Sales',
  CustomerName: 'Customer',
  HideAgentName: false,
  ShowPostChat: true,
  TimeoutAfterConversation: 0,
  ToolboxPosition: 'center-right',
  IdleTimeout: 300,
  WarningBeforeIdleTimeout: 60,
  AllowMovingChatCard: true,
  PostedMessageAllowedOrigin: 'window.location.origin',
  MaxMessageLength: 0,
  MaxAttachmentSize: 5120,
  AllowedAttachmentTypes: [],
  RestrictedAttachmentTypes: ['exe', 'bat', 'cmd', 'com', 'vbs', 'js', 'msi', 'scr'],
};
