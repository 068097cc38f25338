/* global Mitel */
// A site that allows smaller files than the Chat Service (1 KB), for the upload limit tests.
Mitel.ChatToolbox.Config = { MaxAttachmentSize: 1 };
