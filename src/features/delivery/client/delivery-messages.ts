/**
 * The delivery layer's UI strings in English and Hindi, looked up with the app's current language.
 * (Kept here rather than in the shared message files so this feature ships as one unit.)
 */
import { getLocale, interpolate, type MessageParams } from '../../../i18n/i18n.ts';

const en = {
  'update.ready': 'A new version of Drishti is ready.',
  'update.reload': 'Reload',
  'update.later': 'Later',
  'storage.heading': 'Downloads and offline storage',
  'storage.usage': '{used} used of about {quota} this browser allows',
  'storage.usageUnknown': 'This browser does not say how much space is available.',
  'storage.persisted': 'Protected: the browser will not delete these files to free space.',
  'storage.notPersisted': 'Not protected: the browser may delete these files if the phone runs low on space.',
  'storage.protect': 'Protect my downloads',
  'storage.memoryNotice': 'This browser is not letting Drishti keep data (private browsing?). Downloads last for this visit only.',
  'storage.model': 'Model',
  'storage.pack': 'Catalogue',
  'storage.active': 'in use',
  'storage.partial': 'Download paused at {stored} of {total}',
  'storage.empty': 'Nothing downloaded yet.',
  'storage.remove': 'Remove',
  'storage.loading': 'Checking storage…',
  'storage.evicted': 'Storage was full, so older downloads were removed: {what}.',
  'saveData.ask': 'Data Saver is on. Drishti downloads its photo model (about {size}) and catalogue once, then works offline. Download them now?',
  'saveData.yes': 'Download',
  'saveData.no': 'Not now',
} as const;

export type DeliveryMessageKey = keyof typeof en;

const hi: Record<DeliveryMessageKey, string> = {
  'update.ready': 'दृष्टि का नया संस्करण तैयार है।',
  'update.reload': 'फिर से लोड करें',
  'update.later': 'बाद में',
  'storage.heading': 'डाउनलोड और ऑफ़लाइन स्टोरेज',
  'storage.usage': '{used} इस्तेमाल हुआ, यह ब्राउज़र लगभग {quota} तक देता है',
  'storage.usageUnknown': 'यह ब्राउज़र नहीं बताता कि कितनी जगह उपलब्ध है।',
  'storage.persisted': 'सुरक्षित: जगह खाली करने के लिए ब्राउज़र इन फ़ाइलों को नहीं हटाएगा।',
  'storage.notPersisted': 'सुरक्षित नहीं: फ़ोन में जगह कम होने पर ब्राउज़र इन फ़ाइलों को हटा सकता है।',
  'storage.protect': 'मेरे डाउनलोड सुरक्षित रखें',
  'storage.memoryNotice': 'यह ब्राउज़र दृष्टि को डेटा रखने नहीं दे रहा (प्राइवेट ब्राउज़िंग?)। डाउनलोड सिर्फ़ इसी विज़िट तक रहेंगे।',
  'storage.model': 'मॉडल',
  'storage.pack': 'कैटलॉग',
  'storage.active': 'इस्तेमाल में',
  'storage.partial': 'डाउनलोड {total} में से {stored} पर रुका है',
  'storage.empty': 'अभी कुछ डाउनलोड नहीं हुआ।',
  'storage.remove': 'हटाएँ',
  'storage.loading': 'स्टोरेज देखा जा रहा है…',
  'storage.evicted': 'स्टोरेज भर गया था, इसलिए पुराने डाउनलोड हटाए गए: {what}।',
  'saveData.ask': 'डेटा सेवर चालू है। दृष्टि अपना फ़ोटो मॉडल (लगभग {size}) और कैटलॉग एक बार डाउनलोड करती है, फिर ऑफ़लाइन चलती है। अभी डाउनलोड करें?',
  'saveData.yes': 'डाउनलोड करें',
  'saveData.no': 'अभी नहीं',
};

export function dt(key: DeliveryMessageKey, params?: MessageParams): string {
  return interpolate(getLocale() === 'hi' ? hi[key] : en[key], params);
}
