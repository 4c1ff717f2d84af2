<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>AdminStreamProtocol</name>
    <message>
        <source>the server sent a malformed &apos;%1&apos; event (id %2): %3</source>
        <translation>أرسل الخادم حدث ‎&apos;%1&apos;‎ مشوّهًا (المعرّف %2): %3</translation>
    </message>
    <message>
        <source>not a JSON object</source>
        <translation>ليس كائن JSON</translation>
    </message>
    <message>
        <source>the server started a new answer (stream %1) instead of resuming stream %2</source>
        <translation>بدأ الخادم إجابة جديدة (البث %1) بدلًا من استئناف البث %2</translation>
    </message>
    <message>
        <source>no &quot;text&quot; string</source>
        <translation>لا يوجد نص في الحقل ‎&quot;text&quot;‎</translation>
    </message>
    <message>
        <source>the stream skipped deltas %1 to %2; the answer would be incomplete</source>
        <translation>تخطّى البث الأجزاء من %1 إلى %2؛ فستكون الإجابة ناقصة</translation>
    </message>
    <message>
        <source>the server sent %1 deltas but %2 arrived</source>
        <translation>أرسل الخادم %1 جزءًا لكن وصل %2</translation>
    </message>
    <message>
        <source>the server reported an error without a message</source>
        <translation>أبلغ الخادم عن خطأ دون رسالة توضّحه</translation>
    </message>
</context>
<context>
    <name>OpenAiProtocol</name>
    <message>
        <source>not a JSON object</source>
        <translation>ليس كائن JSON</translation>
    </message>
    <message>
        <source>the server sent a malformed chunk: %1</source>
        <translation>أرسل الخادم جزءًا مشوّهًا: %1</translation>
    </message>
    <message>
        <source>the model stopped with an error</source>
        <translation>توقّف النموذج بسبب خطأ</translation>
    </message>
    <message>
        <source>the server reported an error without a message</source>
        <translation>أبلغ الخادم عن خطأ دون رسالة توضّحه</translation>
    </message>
</context>
<context>
    <name>SseParser</name>
    <message>
        <source>the server sent a line longer than %1 bytes</source>
        <translation>أرسل الخادم سطرًا يتجاوز %1 بايت</translation>
    </message>
    <message>
        <source>the server sent an event larger than %1 bytes</source>
        <translation>أرسل الخادم حدثًا يتجاوز %1 بايت</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Qalam: a desktop client for streamed AI chat, in Arabic and English.</source>
        <translation>قلم: تطبيق سطح مكتب للمحادثة مع الذكاء الاصطناعي بإجابات متدفقة، بالعربية والإنجليزية.</translation>
    </message>
    <message>
        <source>Use the built-in offline demo server.</source>
        <translation>استخدم خادم العرض التجريبي المدمج الذي يعمل دون اتصال.</translation>
    </message>
    <message>
        <source>Connect with the profile named NAME.</source>
        <translation>اتصل بملف تعريف الاتصال المسمّى NAME.</translation>
    </message>
    <message>
        <source>Interface language: ar or en (default: the system&apos;s).</source>
        <translation>لغة الواجهة: ar أو en (الافتراضي: لغة النظام).</translation>
    </message>
    <message>
        <source>Keep conversations in FILE instead of the default place.</source>
        <translation>احفظ المحادثات في الملف FILE بدلًا من المكان الافتراضي.</translation>
    </message>
    <message>
        <source>Ask QUESTION as soon as the window opens.</source>
        <translation>اطرح السؤال QUESTION فور فتح النافذة.</translation>
    </message>
    <message>
        <source>Pace of the demo server&apos;s answers, in tokens per second.</source>
        <translation>سرعة إجابات خادم العرض التجريبي، بالرموز في الثانية.</translation>
    </message>
    <message>
        <source>Read and write settings and profiles in FILE.</source>
        <translation>اقرأ الإعدادات وملفات التعريف واكتبها في الملف FILE.</translation>
    </message>
    <message>
        <source>Qalam</source>
        <translation>قلم</translation>
    </message>
    <message>
        <source>Save a PNG picture of the window to FILE and quit: once the answer to --ask has ended, or as soon as the window is shown.</source>
        <translation>احفظ صورة PNG للنافذة في الملف FILE ثم اخرج: بعد انتهاء الإجابة عن --ask، أو فور ظهور النافذة.</translation>
    </message>
    <message>
        <source>Colours: light, dark, high-contrast (white on black), or system (as the desktop is). Default: the one chosen in Preferences.</source>
        <translation>الألوان: light (فاتح) أو dark (داكن) أو high-contrast (تباين عالٍ، أبيض على أسود) أو system (كما في سطح المكتب). الافتراضي: ما اختير في التفضيلات.</translation>
    </message>
    <message>
        <source>What --screenshot shows: the window (default), the window with its first menu open, or the Preferences or Connection profiles dialog over it.</source>
        <translation>ما تعرضه --screenshot: النافذة (الافتراضي)، أو النافذة وقائمتها الأولى مفتوحة، أو نافذة التفضيلات أو ملفات تعريف الاتصال فوقها.</translation>
    </message>
</context>
<context>
    <name>qalam::AnswerActivity</name>
    <message numerus="yes">
        <source>Queued: %n other answer(s) are streaming; this one starts when one of them ends</source>
        <translation>
            <numerusform>في الانتظار: تبدأ هذه الإجابة حين تنتهي إجابة أخرى</numerusform>
            <numerusform>في الانتظار: إجابة أخرى قيد البث؛ تبدأ هذه حين تنتهي</numerusform>
            <numerusform>في الانتظار: إجابتان أخريان قيد البث؛ تبدأ هذه حين تنتهي إحداهما</numerusform>
            <numerusform>في الانتظار: %n إجابات أخرى قيد البث؛ تبدأ هذه حين تنتهي إحداها</numerusform>
            <numerusform>في الانتظار: %n إجابة أخرى قيد البث؛ تبدأ هذه حين تنتهي إحداها</numerusform>
            <numerusform>في الانتظار: %n إجابة أخرى قيد البث؛ تبدأ هذه حين تنتهي إحداها</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>جارٍ الاتصال…</translation>
    </message>
    <message>
        <source>attempt %1 of %2</source>
        <translation>المحاولة %1 من %2</translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>المحاولة %1</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s (%2)</source>
        <translation>إعادة الاتصال بعد %1 ث (%2)</translation>
    </message>
    <message>
        <source>Reconnecting now (%1)</source>
        <translation>إعادة الاتصال الآن (%1)</translation>
    </message>
    <message>
        <source>Not saved yet: the text is kept in memory and saving is retried</source>
        <translation>لم يُحفظ بعد: النص محفوظ في الذاكرة وتُعاد محاولة الحفظ</translation>
    </message>
</context>
<context>
    <name>qalam::AnswerCard</name>
    <message>
        <source>The answer stopped before it was complete</source>
        <translation>توقفت الإجابة قبل أن تكتمل</translation>
    </message>
    <message>
        <source>the connection ended early</source>
        <translation>انتهى الاتصال مبكرًا</translation>
    </message>
</context>
<context>
    <name>qalam::AnswerFailure</name>
    <message>
        <source>the server</source>
        <translation>الخادم</translation>
    </message>
    <message>
        <source>Could not connect to %1 — connection refused</source>
        <translation>تعذّر الاتصال بـ %1 — رُفض الاتّصال</translation>
    </message>
    <message>
        <source>Could not find the server of %1 — check the URL</source>
        <translation>تعذّر العثور على خادم %1 — تحقّق من العنوان</translation>
    </message>
    <message>
        <source>Could not reach %1 — the connection timed out</source>
        <translation>تعذّر الوصول إلى %1 — انتهت مهلة الاتصال</translation>
    </message>
    <message>
        <source>The server refused the key (%1)</source>
        <translation>رفض الخادم المفتاح (%1)</translation>
    </message>
    <message>
        <source>Not found (404): check the URL %1</source>
        <translation>غير موجود (404): تحقّق من العنوان %1</translation>
    </message>
    <message>
        <source>Too many requests (429): the server asks to wait</source>
        <translation>طلبات كثيرة جدًا (429): يطلب الخادم الانتظار</translation>
    </message>
    <message>
        <source>The server failed (%1)</source>
        <translation>أخفق الخادم (%1)</translation>
    </message>
    <message>
        <source>The server answered with status %1 instead of an answer</source>
        <translation>ردّ الخادم بالحالة %1 بدل الإجابة</translation>
    </message>
    <message>
        <source>The server&apos;s certificate was not accepted</source>
        <translation>لم تُقبل شهادة الخادم</translation>
    </message>
    <message>
        <source>The server stopped responding</source>
        <translation>توقّف الخادم عن الاستجابة</translation>
    </message>
    <message>
        <source>The connection to %1 was lost</source>
        <translation>انقطع الاتصال بـ %1</translation>
    </message>
    <message>
        <source>The answer failed</source>
        <translation>أخفقت الإجابة</translation>
    </message>
</context>
<context>
    <name>qalam::BackendSwitcher</name>
    <message>
        <source>Cannot start the offline demo server: %1</source>
        <translation>تعذّر تشغيل خادم العرض التجريبي: %1</translation>
    </message>
    <message>
        <source>Ready (offline demo)</source>
        <translation>جاهز (عرض تجريبي دون اتصال)</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>خطأ: %1</translation>
    </message>
    <message>
        <source>Looking up the API key…</source>
        <translation>جارٍ البحث عن مفتاح API…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>جاهز</translation>
    </message>
</context>
<context>
    <name>qalam::ChatStream</name>
    <message>
        <source>stopped</source>
        <translation>أُوقفت</translation>
    </message>
    <message>
        <source>the answer is longer than %1 characters; it was cut off there</source>
        <translation>الإجابة أطول من %1 حرف؛ فقُطعت عند هذا الحد</translation>
    </message>
    <message>
        <source>the connection ended before the answer was complete, and resuming did not succeed</source>
        <translation>انقطع الاتصال قبل اكتمال الإجابة، ولم ينجح استئنافها</translation>
    </message>
    <message>
        <source>the connection ended before the answer was complete (no [DONE])</source>
        <translation>انقطع الاتصال قبل اكتمال الإجابة (لم تصل ‎[DONE]‎)</translation>
    </message>
</context>
<context>
    <name>qalam::ChatView</name>
    <message>
        <source>Assistant</source>
        <translation>المساعد</translation>
    </message>
    <message>
        <source>System</source>
        <translation>النظام</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>نسخ</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>نسخ الرسالة</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>إعادة توليد الإجابة</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>متابعة الإجابة</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>تحديد الكل</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>النسخة السابقة</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>النسخة التالية</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>المحادثة</translation>
    </message>
    <message>
        <source>The messages of the conversation. Ctrl+Up and Ctrl+Down move between messages, Tab reaches the current message&apos;s buttons.</source>
        <translation>رسائل المحادثة. ينتقل Ctrl+سهم لأعلى وCtrl+سهم لأسفل بين الرسائل، ويصل Tab إلى أزرار الرسالة الحالية.</translation>
    </message>
    <message>
        <source>↓ Jump to latest</source>
        <translation>↓ الانتقال إلى الأحدث</translation>
    </message>
    <message>
        <source>Scroll to the newest text (End)</source>
        <translation>التمرير إلى أحدث نص (End)</translation>
    </message>
    <message>
        <source>Jump to latest</source>
        <translation>الانتقال إلى الأحدث</translation>
    </message>
    <message>
        <source>Copy Markdown</source>
        <translation>نسخ Markdown</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>تعديل</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>إعادة المحاولة</translation>
    </message>
    <message>
        <source>Edit question</source>
        <translation>تعديل السؤال</translation>
    </message>
    <message>
        <source>Open profile</source>
        <translation>فتح ملف الاتصال</translation>
    </message>
    <message>
        <source>Copy the text</source>
        <translation>نسخ النص</translation>
    </message>
    <message>
        <source>Copy as Markdown</source>
        <translation>نسخ بصيغة Markdown</translation>
    </message>
    <message>
        <source>Ask again; this answer stays as an earlier version</source>
        <translation>اسأل مجددًا؛ تبقى هذه الإجابة نسخة سابقة</translation>
    </message>
    <message>
        <source>Ask again</source>
        <translation>اسأل مجددًا</translation>
    </message>
    <message>
        <source>Continue the answer where it stopped</source>
        <translation>أكمل الإجابة من حيث توقفت</translation>
    </message>
    <message>
        <source>Edit the question and send it again</source>
        <translation>عدّل السؤال وأرسله مجددًا</translation>
    </message>
    <message>
        <source>Open the connection profile (URL, key, model)</source>
        <translation>افتح ملف الاتصال (العنوان، المفتاح، النموذج)</translation>
    </message>
    <message>
        <source>E or %1</source>
        <translation>E أو %1</translation>
    </message>
    <message>
        <source>⚠ Contains hidden direction controls</source>
        <translation>⚠ يحتوي على محارف تحكم خفية في الاتجاه</translation>
    </message>
    <message>
        <source> · </source>
        <extracomment>The separator of the footer&apos;s parts, as in qalam::FigureText: &quot;، &quot; in Arabic.</extracomment>
        <translation>، </translation>
    </message>
</context>
<context>
    <name>qalam::ChatViewAccessible</name>
    <message>
        <source>Answer complete</source>
        <translation>اكتملت الإجابة</translation>
    </message>
    <message>
        <source>Answer failed: %1</source>
        <translation>فشلت الإجابة: %1</translation>
    </message>
</context>
<context>
    <name>qalam::CodeBlock</name>
    <message>
        <source>Copy</source>
        <translation>نسخ</translation>
    </message>
    <message>
        <source>Wrap</source>
        <translation>التفاف</translation>
    </message>
</context>
<context>
    <name>qalam::Composer</name>
    <message>
        <source>Ask a question… (Enter sends, Shift+Enter for a new line)</source>
        <translation>اطرح سؤالًا… (Enter للإرسال، وShift+Enter لسطر جديد)</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>السؤال</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line, Esc stops the answer</source>
        <translation>Enter يرسل، وShift+Enter يبدأ سطرًا جديدًا، وEsc يوقف الإجابة</translation>
    </message>
</context>
<context>
    <name>qalam::ComposerBar</name>
    <message>
        <source>Stop</source>
        <translation>إيقاف</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>إرسال</translation>
    </message>
    <message>
        <source>Stop the answer (Esc); what arrived is kept</source>
        <translation>أوقف الإجابة (Esc)؛ يُحفظ ما وصل منها</translation>
    </message>
    <message>
        <source>Send the question (Enter)</source>
        <translation>أرسل السؤال (Enter)</translation>
    </message>
</context>
<context>
    <name>qalam::ConnectionTester</name>
    <message>
        <source>Test cancelled.</source>
        <translation>أُلغي الاختبار.</translation>
    </message>
    <message>
        <source>Hello</source>
        <translation>مرحبًا</translation>
    </message>
    <message>
        <source>The server&apos;s model list is larger than 4 MB.</source>
        <translation>قائمة النماذج لدى الخادم أكبر من 4 ميغابايت.</translation>
    </message>
    <message>
        <source>Connected: the server accepts questions and streams its answers.</source>
        <translation>متصل: يقبل الخادم الأسئلة ويبث إجاباته.</translation>
    </message>
    <message>
        <source>The server answered %1 but not with an event stream (Content-Type: %2): check the URL and the protocol.</source>
        <translation>أجاب الخادم بالرمز %1 لكن ليس ببث أحداث (Content-Type: %2): تحقّق من العنوان والبروتوكول.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>لا شيء</translation>
    </message>
    <message>
        <source>Refused: %1 — the server redirects to %2; use that address as the URL.</source>
        <translation>مرفوض: %1 — يعيد الخادم التوجيه إلى %2؛ استخدم ذلك العنوان.</translation>
    </message>
    <message>
        <source>another address</source>
        <translation>عنوان آخر</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>مرفوض: %1</translation>
    </message>
    <message>
        <source>Refused: %1 — %2</source>
        <translation>مرفوض: %1 — %2</translation>
    </message>
    <message>
        <source>Connected (the server&apos;s answer to /models is not a model list).</source>
        <translation>متصل (إجابة الخادم عن ‎/models ليست قائمة نماذج).</translation>
    </message>
    <message numerus="yes">
        <source>Connected: %n model(s)</source>
        <translation>
            <numerusform>متصل: لا نماذج</numerusform>
            <numerusform>متصل: نموذج واحد</numerusform>
            <numerusform>متصل: نموذجان</numerusform>
            <numerusform>متصل: %n نماذج</numerusform>
            <numerusform>متصل: %n نموذجًا</numerusform>
            <numerusform>متصل: %n نموذج</numerusform>
        </translation>
    </message>
    <message>
        <source>The model “%1” is not among them: check its name.</source>
        <translation>النموذج «%1» ليس بينها: تحقّق من اسمه.</translation>
    </message>
    <message>
        <source>Could not connect: connection refused by %1 (is the server running on that port?).</source>
        <translation>تعذّر الاتصال: رفض %1 الاتصال (هل يعمل الخادم على ذلك المنفذ؟).</translation>
    </message>
    <message>
        <source>Could not connect: the host “%1” was not found.</source>
        <translation>تعذّر الاتصال: لم يُعثر على المضيف «%1».</translation>
    </message>
    <message numerus="yes">
        <source>Could not connect: no answer within %n second(s).</source>
        <translation>
            <numerusform>تعذّر الاتصال: لا إجابة فورًا.</numerusform>
            <numerusform>تعذّر الاتصال: لا إجابة خلال ثانية واحدة.</numerusform>
            <numerusform>تعذّر الاتصال: لا إجابة خلال ثانيتين.</numerusform>
            <numerusform>تعذّر الاتصال: لا إجابة خلال %n ثوانٍ.</numerusform>
            <numerusform>تعذّر الاتصال: لا إجابة خلال %n ثانية.</numerusform>
            <numerusform>تعذّر الاتصال: لا إجابة خلال %n ثانية.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not connect: the server closed the connection without answering.</source>
        <translation>تعذّر الاتصال: أغلق الخادم الاتصال دون أن يجيب.</translation>
    </message>
    <message>
        <source>TLS error: %1</source>
        <translation>خطأ في TLS: %1</translation>
    </message>
    <message>
        <source>Could not connect through the proxy: %1</source>
        <translation>تعذّر الاتصال عبر الخادم الوكيل: %1</translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation>تعذّر الاتصال: %1</translation>
    </message>
</context>
<context>
    <name>qalam::ConversationDelegate</name>
    <message>
        <source>queued</source>
        <translation>في الانتظار</translation>
    </message>
    <message>
        <source>Conversation name</source>
        <translation>اسم المحادثة</translation>
    </message>
    <message>
        <source>An answer is queued: it starts when another one ends</source>
        <translation>إجابة في الانتظار: تبدأ عندما تنتهي إجابة أخرى</translation>
    </message>
    <message>
        <source>An answer is streaming</source>
        <translation>إجابة قيد البث</translation>
    </message>
    <message>
        <source>Enter saves the new name, Esc cancels</source>
        <translation>Enter يحفظ الاسم الجديد، وEsc يلغي</translation>
    </message>
</context>
<context>
    <name>qalam::ConversationPresenter</name>
    <message>
        <source>Thinking…</source>
        <translation>يفكّر…</translation>
    </message>
</context>
<context>
    <name>qalam::ConversationSession</name>
    <message>
        <source>Answer complete</source>
        <translation>اكتملت الإجابة</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>فشلت الإجابة: %1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>أُوقفت الإجابة</translation>
    </message>
    <message>
        <source>first token %1 ms</source>
        <translation>أول رمز بعد %1 ملّي ثانية</translation>
    </message>
    <message>
        <source>%1 chars/s</source>
        <translation>%1 حرف/ثانية</translation>
    </message>
    <message numerus="yes">
        <source>%Ln reconnect(s)</source>
        <translation>
            <numerusform>دون إعادة اتصال</numerusform>
            <numerusform>إعادة اتصال واحدة</numerusform>
            <numerusform>إعادتا اتصال</numerusform>
            <numerusform>%Ln إعادات اتصال</numerusform>
            <numerusform>%Ln إعادة اتصال</numerusform>
            <numerusform>%Ln إعادة اتصال</numerusform>
        </translation>
    </message>
    <message>
        <source>the disk is full, so the conversation could not be saved</source>
        <translation>القرص ممتلئ، فتعذّر حفظ المحادثة</translation>
    </message>
    <message>
        <source>the conversation database is read-only, so nothing can be saved</source>
        <translation>قاعدة بيانات المحادثات للقراءة فقط، فلا يمكن حفظ شيء</translation>
    </message>
    <message>
        <source>the conversation database is damaged</source>
        <translation>قاعدة بيانات المحادثات تالفة</translation>
    </message>
    <message>
        <source>the conversation database is in use by another program</source>
        <translation>قاعدة بيانات المحادثات يستخدمها برنامج آخر</translation>
    </message>
    <message>
        <source>the message no longer exists</source>
        <translation>الرسالة لم تعد موجودة</translation>
    </message>
    <message>
        <source>the conversation database reported an error: %1</source>
        <translation>أبلغت قاعدة بيانات المحادثات عن خطأ: %1</translation>
    </message>
    <message>
        <source>Interrupted: %1</source>
        <translation>انقطعت: %1</translation>
    </message>
</context>
<context>
    <name>qalam::ConversationSidebar</name>
    <message>
        <source>Rename…</source>
        <translation>إعادة تسمية…</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>محادثة جديدة</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>ابحث في المحادثات</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>حذف…</translation>
    </message>
    <message>
        <source>Search titles and messages (Ctrl+K)</source>
        <translation>ابحث في العناوين والرسائل (Ctrl+K)</translation>
    </message>
    <message>
        <source>No matches for “%1”</source>
        <translation>لا نتائج لـ «%1»</translation>
    </message>
    <message>
        <source>No conversations yet. Ask a question to start one.</source>
        <translation>لا محادثات بعد. اطرح سؤالًا لتبدأ محادثة.</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>ابدأ محادثة جديدة (Ctrl+N)</translation>
    </message>
    <message>
        <source>Searches titles and messages as you type; Down or Enter opens the first result, Esc clears</source>
        <translation>يبحث في العناوين والرسائل أثناء الكتابة؛ السهم للأسفل أو Enter يفتح النتيجة الأولى، وEsc يمسح البحث</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>المحادثات</translation>
    </message>
    <message>
        <source>Up and Down open a conversation, F2 renames it, Delete deletes it</source>
        <translation>السهمان للأعلى وللأسفل يفتحان محادثة، وF2 يعيد تسميتها، وDelete يحذفها</translation>
    </message>
</context>
<context>
    <name>qalam::DateGroup</name>
    <message>
        <source>Today</source>
        <translation>اليوم</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>أمس</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>الأيام السبعة الماضية</translation>
    </message>
    <message>
        <source>Previous 30 days</source>
        <translation>الأيام الثلاثون الماضية</translation>
    </message>
</context>
<context>
    <name>qalam::DialogButtonBox</name>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>إغلاق</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>تطبيق</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>نعم</translation>
    </message>
    <message>
        <source>No</source>
        <translation>لا</translation>
    </message>
</context>
<context>
    <name>qalam::DirectionControlMarks</name>
    <message>
        <source>Left-to-right embedding</source>
        <translation>تضمين من اليسار إلى اليمين</translation>
    </message>
    <message>
        <source>Right-to-left embedding</source>
        <translation>تضمين من اليمين إلى اليسار</translation>
    </message>
    <message>
        <source>Pop directional formatting</source>
        <translation>إنهاء تنسيق الاتجاه</translation>
    </message>
    <message>
        <source>Left-to-right override</source>
        <translation>فرض الاتجاه من اليسار إلى اليمين</translation>
    </message>
    <message>
        <source>Right-to-left override</source>
        <translation>فرض الاتجاه من اليمين إلى اليسار</translation>
    </message>
    <message>
        <source>Left-to-right isolate</source>
        <translation>عزل من اليسار إلى اليمين</translation>
    </message>
    <message>
        <source>Right-to-left isolate</source>
        <translation>عزل من اليمين إلى اليسار</translation>
    </message>
    <message>
        <source>First strong isolate</source>
        <translation>عزل بحسب أول حرف قوي</translation>
    </message>
    <message>
        <source>Pop directional isolate</source>
        <translation>إنهاء عزل الاتجاه</translation>
    </message>
    <message>
        <source>Left-to-right mark</source>
        <translation>علامة من اليسار إلى اليمين</translation>
    </message>
    <message>
        <source>Right-to-left mark</source>
        <translation>علامة من اليمين إلى اليسار</translation>
    </message>
    <message>
        <source>Arabic letter mark</source>
        <translation>علامة الحرف العربي</translation>
    </message>
    <message>
        <source>%1 (%2): a hidden direction control, shown here and not applied</source>
        <extracomment>%1 is the name of an invisible Unicode character that changes the direction of text, %2 its code point (U+202E).</extracomment>
        <translation>%1 (%2): محرف تحكم خفي في الاتجاه، يظهر هنا ولا يُطبَّق</translation>
    </message>
</context>
<context>
    <name>qalam::EmptyStateView</name>
    <message>
        <source>Which process is listening on port 8080, and how do I stop it?</source>
        <translation>أيّ عملية تستمع على المنفذ 8080، وكيف أوقفها؟</translation>
    </message>
    <message>
        <source>Write a bash script that archives logs older than 7 days</source>
        <translation>اكتب سكربت bash يؤرشف السجلات الأقدم من 7 أيام</translation>
    </message>
    <message>
        <source>Compare TCP and UDP in a short table</source>
        <translation>قارن بين TCP وUDP في جدول قصير</translation>
    </message>
    <message>
        <source>Ask Qalam</source>
        <translation>اسأل قلم</translation>
    </message>
    <message>
        <source>Qalam shows your AI backend&apos;s answers as they are written, in Arabic or English, and keeps every word: an answer cut off by a network failure resumes where it stopped.</source>
        <translation>يعرض قلم إجابات خادم الذكاء الاصطناعي لديك لحظة كتابتها، بالعربية أو الإنجليزية، ولا يضيّع منها كلمة: الإجابة التي يقطعها عطل في الشبكة تُستأنف من حيث توقفت.</translation>
    </message>
    <message>
        <source>Try one of these:</source>
        <translation>جرّب أحد هذه الأسئلة:</translation>
    </message>
    <message>
        <source>You are using the offline demo: its answers are canned, pre-written and played back without a network, so they do not really answer your question. Connect a backend to ask a real model.</source>
        <translation>أنت تستخدم العرض التجريبي دون اتصال: إجاباته معدّة سلفًا، مكتوبة مسبقًا وتُعرض دون شبكة، فلا تجيب عن سؤالك حقًّا. اربط خادمًا لتسأل نموذجًا حقيقيًّا.</translation>
    </message>
    <message>
        <source>Connect a backend…</source>
        <translation>ربط خادم…</translation>
    </message>
    <message>
        <source>Asks this example question</source>
        <translation>يطرح هذا السؤال المثال</translation>
    </message>
    <message>
        <source>Opens the connection profiles</source>
        <translation>يفتح ملفات تعريف الاتصال</translation>
    </message>
</context>
<context>
    <name>qalam::FigureText</name>
    <message>
        <source> · </source>
        <extracomment>Between the parts of a line of figures (&quot;first token 318 ms · 17,093 chars/s&quot;). Arabic takes the Arabic comma and a space (&quot;، &quot;): a middle dot beside Arabic-Indic digits reads as the digit zero.</extracomment>
        <translation>، </translation>
    </message>
</context>
<context>
    <name>qalam::HttpRedirect</name>
    <message>
        <source>the server answered HTTP %1 without a valid Location to redirect to</source>
        <translation>أجاب الخادم بـ HTTP %1 دون عنوان Location صالح لإعادة التوجيه</translation>
    </message>
    <message>
        <source>the server redirected to %1, which is not an http or https URL</source>
        <translation>أعاد الخادم التوجيه إلى %1، وهو ليس عنوان http أو https</translation>
    </message>
    <message>
        <source>the server redirected from https to %1, an unencrypted http URL; Qalam does not follow a redirect that drops encryption</source>
        <translation>أعاد الخادم التوجيه من https إلى %1، وهو عنوان http غير مشفّر؛ لا يتبع قلم إعادة توجيه تُسقط التشفير</translation>
    </message>
    <message>
        <source>the server redirected the %1 request with HTTP %2 to %3; following it would send a GET without the question, so it was not followed</source>
        <translation>أعاد الخادم توجيه طلب %1 بـ HTTP %2 إلى %3؛ واتباعه يرسل طلب GET بلا السؤال، فلم يُتبع</translation>
    </message>
</context>
<context>
    <name>qalam::InlineEditor</name>
    <message>
        <source>Save &amp;&amp; send</source>
        <translation>حفظ وإرسال</translation>
    </message>
    <message>
        <source>Send the edited question (%1); the earlier one stays as a version</source>
        <translation>أرسل السؤال المعدّل (%1)؛ يبقى السابق نسخة منه</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Keep the question as it was (Esc)</source>
        <translation>أبقِ السؤال كما كان (Esc)</translation>
    </message>
    <message>
        <source>Edit the question</source>
        <translation>تعديل السؤال</translation>
    </message>
</context>
<context>
    <name>qalam::LiveAnswer</name>
    <message>
        <source>the application was closed</source>
        <translation>أُغلق التطبيق</translation>
    </message>
    <message>
        <source>stopped before it started</source>
        <translation>أُوقفت قبل أن تبدأ</translation>
    </message>
</context>
<context>
    <name>qalam::MainWindow</name>
    <message>
        <source>Qalam</source>
        <translation>قلم</translation>
    </message>
    <message>
        <source>Quit Qalam</source>
        <translation>الخروج من قلم</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) are still streaming. Quit anyway? What arrived is kept and marked interrupted, and can be continued later.</source>
        <translation>
            <numerusform>لا إجابات قيد البث. هل تريد الخروج؟</numerusform>
            <numerusform>ما زالت إجابة قيد البث. هل تريد الخروج مع ذلك؟ يُحتفظ بما وصل ويوسم بأنه مقطوع، ويمكن إكماله لاحقًا.</numerusform>
            <numerusform>ما زالت إجابتان قيد البث. هل تريد الخروج مع ذلك؟ يُحتفظ بما وصل ويوسم بأنه مقطوع، ويمكن إكماله لاحقًا.</numerusform>
            <numerusform>ما زالت %n إجابات قيد البث. هل تريد الخروج مع ذلك؟ يُحتفظ بما وصل ويوسم بأنه مقطوع، ويمكن إكماله لاحقًا.</numerusform>
            <numerusform>ما زالت %n إجابة قيد البث. هل تريد الخروج مع ذلك؟ يُحتفظ بما وصل ويوسم بأنه مقطوع، ويمكن إكماله لاحقًا.</numerusform>
            <numerusform>ما زالت %n إجابة قيد البث. هل تريد الخروج مع ذلك؟ يُحتفظ بما وصل ويوسم بأنه مقطوع، ويمكن إكماله لاحقًا.</numerusform>
        </translation>
    </message>
    <message>
        <source>The question is sent when the profile is ready: %1</source>
        <translation>سيُرسَل السؤال حين يصبح ملف الاتصال جاهزًا: %1</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>المحادثة</translation>
    </message>
    <message>
        <source>The questions and answers. Ctrl+Up and Ctrl+Down move between messages, Tab reaches the current message&apos;s buttons.</source>
        <translation>الأسئلة والإجابات. Ctrl+السهم للأعلى وCtrl+السهم للأسفل ينتقلان بين الرسائل، وTab يصل إلى أزرار الرسالة الحالية.</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>حالة الاتصال</translation>
    </message>
    <message>
        <source>Time to first token and speed of the answer</source>
        <translation>زمن وصول أول جزء وسرعة الإجابة</translation>
    </message>
    <message>
        <source>Connection profile</source>
        <translation>ملف تعريف الاتصال</translation>
    </message>
    <message>
        <source>More menus</source>
        <translation>مزيد من القوائم</translation>
    </message>
</context>
<context>
    <name>qalam::MessageAccessible</name>
    <message>
        <source>You</source>
        <translation>أنت</translation>
    </message>
    <message>
        <source>System</source>
        <translation>النظام</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>المساعد</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>جارٍ كتابة الإجابة…</translation>
    </message>
</context>
<context>
    <name>qalam::NetworkSetup</name>
    <message>
        <source>The manual proxy needs a host name.</source>
        <translation>يحتاج الخادم الوكيل اليدوي إلى اسم مضيف.</translation>
    </message>
    <message>
        <source>Enter the proxy&apos;s port in the port field, not after the host name.</source>
        <translation>أدخل منفذ الخادم الوكيل في حقل المنفذ، لا بعد اسم المضيف.</translation>
    </message>
    <message>
        <source>The manual proxy needs a port between 1 and 65535.</source>
        <translation>يحتاج الخادم الوكيل اليدوي إلى منفذ بين 1 و65535.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” does not exist.</source>
        <translation>ملف شهادة المرجع المصدِّق «%1» غير موجود.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” cannot be read: it is not a file.</source>
        <translation>تعذّرت قراءة ملف شهادة المرجع المصدِّق «%1»: ليس ملفًا.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” cannot be read: %2</source>
        <translation>تعذّرت قراءة ملف شهادة المرجع المصدِّق «%1»: %2</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” is too large to be a certificate.</source>
        <translation>ملف شهادة المرجع المصدِّق «%1» أكبر من أن يكون شهادة.</translation>
    </message>
    <message>
        <source>The CA certificate file “%1” does not contain a valid PEM certificate.</source>
        <translation>ملف شهادة المرجع المصدِّق «%1» لا يحتوي على شهادة PEM صالحة.</translation>
    </message>
</context>
<context>
    <name>qalam::NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>إخفاء</translation>
    </message>
</context>
<context>
    <name>qalam::PreferencesDialog</name>
    <message>
        <source>Show answers at once, without the typewriter</source>
        <translation>اعرض الإجابات دفعة واحدة، دون تأثير الآلة الكاتبة</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>التفضيلات</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>لغة النظام</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>الافتراضي في النظام</translation>
    </message>
    <message>
        <source>System proxy</source>
        <translation>خادم النظام الوكيل</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>دون خادم وكيل</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>يدوي</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>اللغة:</translation>
    </message>
    <message>
        <source>Motion:</source>
        <translation>الحركة:</translation>
    </message>
    <message>
        <source>Text size (points):</source>
        <translation>حجم النص (بالنقاط):</translation>
    </message>
    <message>
        <source>Proxy:</source>
        <translation>الخادم الوكيل:</translation>
    </message>
    <message>
        <source>Proxy type:</source>
        <translation>نوع الخادم الوكيل:</translation>
    </message>
    <message>
        <source>Proxy host:</source>
        <translation>مضيف الخادم الوكيل:</translation>
    </message>
    <message>
        <source>Proxy port:</source>
        <translation>منفذ الخادم الوكيل:</translation>
    </message>
    <message>
        <source>System (light or dark as the desktop is)</source>
        <translation>النظام (فاتح أو داكن كسطح المكتب)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>فاتح</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>داكن</translation>
    </message>
    <message>
        <source>Narrow (60 characters)</source>
        <translation>ضيّق (60 حرفًا)</translation>
    </message>
    <message>
        <source>Comfortable (75 characters)</source>
        <translation>مريح (75 حرفًا)</translation>
    </message>
    <message>
        <source>Wide (100 characters)</source>
        <translation>عريض (100 حرف)</translation>
    </message>
    <message>
        <source>Full window width</source>
        <translation>عرض النافذة كاملًا</translation>
    </message>
    <message numerus="yes">
        <source>%n character(s)</source>
        <translation>
            <numerusform>لا أحرف</numerusform>
            <numerusform>حرف واحد</numerusform>
            <numerusform>حرفان</numerusform>
            <numerusform>%n أحرف</numerusform>
            <numerusform>%n حرفًا</numerusform>
            <numerusform>%n حرف</numerusform>
        </translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>المظهر:</translation>
    </message>
    <message>
        <source>Reading width:</source>
        <translation>عرض القراءة:</translation>
    </message>
    <message>
        <source>High contrast (white on black)</source>
        <translation>تباين عالٍ (أبيض على أسود)</translation>
    </message>
    <message>
        <source>Naskh for messages (Noto Naskh Arabic)</source>
        <translation>النسخ للرسائل (Noto Naskh Arabic)</translation>
    </message>
    <message>
        <source>Sans everywhere (Noto Sans Arabic)</source>
        <translation>الخط البسيط في كل مكان (Noto Sans Arabic)</translation>
    </message>
    <message>
        <source>The system&apos;s font</source>
        <translation>خط النظام</translation>
    </message>
    <message>
        <source>Arabic font:</source>
        <translation>الخط العربي:</translation>
    </message>
</context>
<context>
    <name>qalam::Profile</name>
    <message>
        <source>Demo (offline)</source>
        <translation>عرض تجريبي (دون اتصال)</translation>
    </message>
    <message>
        <source>A header has no name.</source>
        <translation>أحد الترويسات بلا اسم.</translation>
    </message>
    <message>
        <source>“%1” is not a valid header name: use letters, digits and - only.</source>
        <translation>«%1» ليس اسم ترويسة صالحًا: استخدم الحروف اللاتينية والأرقام والشرطة (-) فقط.</translation>
    </message>
    <message>
        <source>Remove the %1 header: the API key belongs in the system keychain (or an environment variable), not in the profile.</source>
        <translation>احذف الترويسة %1: مكان مفتاح API هو سلسلة مفاتيح النظام (أو متغير بيئة)، لا ملف تعريف الاتصال.</translation>
    </message>
    <message>
        <source>The value of header “%1” contains a line break or another control character.</source>
        <translation>قيمة الترويسة «%1» تحتوي على فاصل أسطر أو محرف تحكم آخر.</translation>
    </message>
    <message>
        <source>The profile has no id.</source>
        <translation>ملف تعريف الاتصال بلا معرّف.</translation>
    </message>
    <message>
        <source>The profile needs a name.</source>
        <translation>يحتاج ملف تعريف الاتصال إلى اسم.</translation>
    </message>
    <message>
        <source>The base URL is missing.</source>
        <translation>عنوان URL الأساسي مفقود.</translation>
    </message>
    <message>
        <source>The base URL is not a valid URL.</source>
        <translation>عنوان URL الأساسي غير صالح.</translation>
    </message>
    <message>
        <source>The base URL must start with http:// or https://.</source>
        <translation>يجب أن يبدأ عنوان URL الأساسي بـ http://‎ أو https://‎.</translation>
    </message>
    <message>
        <source>The base URL must start with http:// or https://, not %1://.</source>
        <translation>يجب أن يبدأ عنوان URL الأساسي بـ http://‎ أو https://‎، لا بـ %1://‎.</translation>
    </message>
    <message>
        <source>The base URL has no host name.</source>
        <translation>عنوان URL الأساسي بلا اسم مضيف.</translation>
    </message>
    <message>
        <source>Remove the user name and password from the base URL: the API key belongs in the system keychain.</source>
        <translation>احذف اسم المستخدم وكلمة المرور من عنوان URL الأساسي: مكان مفتاح API هو سلسلة مفاتيح النظام.</translation>
    </message>
    <message>
        <source>An OpenAI-compatible backend needs a model name.</source>
        <translation>يحتاج الخادم المتوافق مع OpenAI إلى اسم نموذج.</translation>
    </message>
    <message>
        <source>“%1” is not a valid environment variable name: use letters, digits and _ only, not starting with a digit.</source>
        <translation>«%1» ليس اسم متغير بيئة صالحًا: استخدم الحروف اللاتينية والأرقام و_ فقط، على ألا يبدأ برقم.</translation>
    </message>
</context>
<context>
    <name>qalam::ProfileDialog</name>
    <message>
        <source>Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>إزالة</translation>
    </message>
    <message>
        <source>Connection profiles</source>
        <translation>ملفات تعريف الاتصال</translation>
    </message>
    <message>
        <source>Admin stream</source>
        <translation>بث الإدارة (Admin stream)</translation>
    </message>
    <message>
        <source>OpenAI-compatible</source>
        <translation>متوافق مع OpenAI</translation>
    </message>
    <message>
        <source>Stored in the system keychain</source>
        <translation>يُحفظ في سلسلة مفاتيح النظام</translation>
    </message>
    <message>
        <source>Optional: read the key from this environment variable</source>
        <translation>اختياري: اقرأ المفتاح من متغير البيئة هذا</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>استعراض…</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>الاسم:</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>عنوان URL الأساسي:</translation>
    </message>
    <message>
        <source>Protocol:</source>
        <translation>البروتوكول:</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>النموذج:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>مفتاح API:</translation>
    </message>
    <message>
        <source>Key variable:</source>
        <translation>متغير المفتاح:</translation>
    </message>
    <message>
        <source>Extra headers:</source>
        <translation>ترويسات إضافية:</translation>
    </message>
    <message>
        <source>Extra CA certificate:</source>
        <translation>شهادة مرجع مصدِّق إضافية:</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>إضافة</translation>
    </message>
    <message>
        <source>Extra CA certificate</source>
        <translation>شهادة مرجع مصدِّق إضافية</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>شهادات PEM (*.pem *.crt);;كل الملفات (*)</translation>
    </message>
    <message>
        <source>The built-in offline demo needs no set-up and cannot be changed.</source>
        <translation>العرض التجريبي المدمج لا يحتاج إلى إعداد، ولا يمكن تغييره.</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>ملف تعريف جديد</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>حُفظ.</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>إضافة ترويسة</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>القيمة</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>سرّية</translation>
    </message>
    <message>
        <source>A secret header&apos;s value is kept in the system keychain, not in the settings file, and never sent to another server after a redirect.</source>
        <translation>تُحفظ قيمة الترويسة السرّية في سلسلة مفاتيح النظام لا في ملف الإعدادات، ولا تُرسَل أبدًا إلى خادم آخر بعد إعادة التوجيه.</translation>
    </message>
    <message>
        <source>Remove this header</source>
        <translation>إزالة هذه الترويسة</translation>
    </message>
    <message>
        <source>This header always carries credentials: its value is kept in the system keychain.</source>
        <translation>تحمل هذه الترويسة بيانات اعتماد دائمًا: تُحفظ قيمتها في سلسلة مفاتيح النظام.</translation>
    </message>
    <message>
        <source>Keep the value in the system keychain</source>
        <translation>احفظ القيمة في سلسلة مفاتيح النظام</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>اختبار الاتصال</translation>
    </message>
    <message>
        <source>Cancel test</source>
        <translation>إلغاء الاختبار</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>جارٍ اختبار الاتصال…</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>أُلغي الاختبار.</translation>
    </message>
    <message>
        <source>A PEM file to trust besides the system&apos;s authorities</source>
        <translation>ملف PEM يوثق به إضافةً إلى مراجع النظام المصدِّقة</translation>
    </message>
    <message>
        <source>Adds an extra HTTP header to every request</source>
        <translation>يضيف ترويسة HTTP إضافية إلى كل طلب</translation>
    </message>
    <message>
        <source>Asks the backend of the form as it is, unsaved, and says what happened</source>
        <translation>يسأل الخادم الخلفي المحدد في النموذج كما هو، دون حفظ، ويخبر بما حدث</translation>
    </message>
    <message>
        <source>Choose the extra CA certificate file</source>
        <translation>اختر ملف شهادة المرجع المصدِّق الإضافية</translation>
    </message>
    <message>
        <source>Header name</source>
        <translation>اسم الترويسة</translation>
    </message>
    <message>
        <source>Header value</source>
        <translation>قيمة الترويسة</translation>
    </message>
</context>
<context>
    <name>qalam::ProfilePicker</name>
    <message>
        <source>The backend new answers come from</source>
        <translation>الخادم الذي تأتي منه الإجابات الجديدة</translation>
    </message>
    <message>
        <source>Connection profile</source>
        <translation>ملف تعريف الاتصال</translation>
    </message>
</context>
<context>
    <name>qalam::ProfileStore</name>
    <message>
        <source>The settings file “%1” cannot be read or written: changes will not be kept after Qalam quits.</source>
        <translation>تتعذّر قراءة ملف الإعدادات «%1» أو الكتابة فيه: لن تُحفظ التغييرات بعد إغلاق قلم.</translation>
    </message>
    <message>
        <source>The settings file was written by a newer version of Qalam: settings this version does not know are left as they are.</source>
        <translation>كتب ملفَّ الإعدادات إصدارٌ أحدث من قلم: تُترك الإعدادات التي لا يعرفها هذا الإصدار كما هي.</translation>
    </message>
    <message>
        <source>Several profiles are called “%1”: rename them so that --profile can tell them apart.</source>
        <translation>هناك عدة ملفات تعريف اتصال باسم «%1»: غيّر أسماءها ليتمكن الخيار ‎--profile‎ من التمييز بينها.</translation>
    </message>
    <message>
        <source>The settings file “%1” was damaged. The profiles and preferences that could be read were kept; a copy of the damaged file was saved as “%2”.</source>
        <translation>ملف الإعدادات «%1» كان تالفًا. احتُفظ بملفات التعريف والتفضيلات التي أمكنت قراءتها، وحُفظت نسخة من الملف التالف باسم «%2».</translation>
    </message>
    <message>
        <source>The settings file “%1” was damaged. The profiles and preferences that could be read were kept.</source>
        <translation>ملف الإعدادات «%1» كان تالفًا. احتُفظ بملفات التعريف والتفضيلات التي أمكنت قراءتها.</translation>
    </message>
    <message>
        <source>The profile “%1” was skipped: %2</source>
        <translation>تُخطّي ملف تعريف الاتصال «%1»: %2</translation>
    </message>
    <message>
        <source>its id is reserved for the built-in demo.</source>
        <translation>معرّفه محجوز للعرض التجريبي المدمج.</translation>
    </message>
    <message>
        <source>it has no protocol.</source>
        <translation>ليس له بروتوكول.</translation>
    </message>
    <message>
        <source>its protocol “%1” is unknown.</source>
        <translation>بروتوكوله «%1» غير معروف.</translation>
    </message>
    <message>
        <source>its base URL “%1” is not an http or https URL.</source>
        <translation>عنوان URL الأساسي الخاص به «%1» ليس عنوان http أو https.</translation>
    </message>
    <message>
        <source>The user name and password were removed from the base URL of the profile “%1”: store the key in the keychain instead.</source>
        <translation>أُزيل اسم المستخدم وكلمة المرور من عنوان URL الأساسي لملف تعريف الاتصال «%1»: احفظ المفتاح في سلسلة المفاتيح بدلًا من ذلك.</translation>
    </message>
    <message>
        <source>A profile without a name was named “%1”.</source>
        <translation>سُمّي ملف تعريف اتصال بلا اسم «%1».</translation>
    </message>
    <message>
        <source>A header of the profile “%1” was ignored: %2</source>
        <translation>تُجوهلت ترويسة في ملف تعريف الاتصال «%1»: %2</translation>
    </message>
    <message>
        <source>The environment variable “%1” of the profile “%2” is not a valid name and was ignored.</source>
        <translation>متغير البيئة «%1» في ملف تعريف الاتصال «%2» ليس اسمًا صالحًا، فتُجوهل.</translation>
    </message>
    <message>
        <source>The setting “%1” had an invalid value (“%2”) and was reset to its default.</source>
        <translation>كانت للإعداد «%1» قيمة غير صالحة («%2»)، فأُعيد إلى قيمته الافتراضية.</translation>
    </message>
    <message>
        <source>The manual proxy has no host or port: the system&apos;s proxy settings are used instead.</source>
        <translation>الخادم الوكيل اليدوي بلا مضيف أو منفذ: تُستخدم إعدادات الخادم الوكيل في النظام بدلًا منه.</translation>
    </message>
    <message>
        <source>There is no profile called “%1”. The profiles are: %2.</source>
        <translation>لا يوجد ملف تعريف اتصال باسم «%1». ملفات التعريف الموجودة: %2.</translation>
    </message>
    <message>
        <source>The built-in demo profile cannot be changed.</source>
        <translation>لا يمكن تغيير ملف تعريف العرض التجريبي المدمج.</translation>
    </message>
    <message>
        <source>Another profile is already called “%1”.</source>
        <translation>يوجد ملف تعريف اتصال آخر باسم «%1».</translation>
    </message>
    <message>
        <source>The settings could not be saved to “%1”: check that the folder exists and is writable.</source>
        <translation>تعذّر حفظ الإعدادات في «%1»: تحقّق من وجود المجلد ومن إمكان الكتابة فيه.</translation>
    </message>
    <message>
        <source>The value of the header “%1” of the profile “%2” is in the settings file in clear: save the profile again to move it to the system keychain.</source>
        <translation>قيمة الترويسة «%1» في ملف تعريف الاتصال «%2» مكتوبة في ملف الإعدادات نصًّا مكشوفًا: احفظ ملف التعريف مرة أخرى لنقلها إلى سلسلة مفاتيح النظام.</translation>
    </message>
</context>
<context>
    <name>qalam::SecretStore</name>
    <message>
        <source>No keychain service is running: the key is kept for this session only.</source>
        <translation>لا تعمل أي خدمة لسلسلة المفاتيح: سيُحتفظ بالمفتاح في هذه الجلسة فقط.</translation>
    </message>
    <message numerus="yes">
        <source>The keychain did not answer within %Ln second(s).</source>
        <translation>
            <numerusform>لم تستجب سلسلة المفاتيح على الفور.</numerusform>
            <numerusform>لم تستجب سلسلة المفاتيح خلال ثانية واحدة.</numerusform>
            <numerusform>لم تستجب سلسلة المفاتيح خلال ثانيتين.</numerusform>
            <numerusform>لم تستجب سلسلة المفاتيح خلال %Ln ثوانٍ.</numerusform>
            <numerusform>لم تستجب سلسلة المفاتيح خلال %Ln ثانية.</numerusform>
            <numerusform>لم تستجب سلسلة المفاتيح خلال %Ln ثانية.</numerusform>
        </translation>
    </message>
    <message>
        <source>The keychain did not give the key: %1</source>
        <translation>لم تُعطِ سلسلة المفاتيح المفتاح: %1</translation>
    </message>
    <message>
        <source>The keychain refused to store the key (%1): it is kept for this session only.</source>
        <translation>رفضت سلسلة المفاتيح حفظ المفتاح (%1): سيُحتفظ به في هذه الجلسة فقط.</translation>
    </message>
    <message>
        <source>The key could not be removed from the keychain: %1</source>
        <translation>تعذّرت إزالة المفتاح من سلسلة المفاتيح: %1</translation>
    </message>
    <message>
        <source>The keychain has no value for the header “%1”: enter it again in the connection profile.</source>
        <translation>ليس في سلسلة المفاتيح قيمة للترويسة «%1»: أدخلها مرة أخرى في ملف تعريف الاتصال.</translation>
    </message>
</context>
<context>
    <name>qalam::SidebarModel</name>
    <message>
        <source>Untitled</source>
        <translation>بلا عنوان</translation>
    </message>
    <message>
        <source>an answer is queued</source>
        <translation>إجابة في الانتظار</translation>
    </message>
    <message>
        <source>an answer is streaming</source>
        <translation>إجابة قيد البث</translation>
    </message>
    <message>
        <source>Heading</source>
        <translation>عنوان قسم</translation>
    </message>
    <message>
        <source>Last active %1</source>
        <translation>آخر نشاط %1</translation>
    </message>
</context>
<context>
    <name>qalam::SidebarPresenter</name>
    <message>
        <source>Rename conversation</source>
        <translation>إعادة تسمية المحادثة</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>حذف المحادثة</translation>
    </message>
    <message>
        <source>Delete “%1” and all its messages?</source>
        <translation>أتريد حذف «%1» وكل رسائلها؟</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>بلا عنوان</translation>
    </message>
    <message>
        <source>You can undo this for a few seconds.</source>
        <translation>يمكنك التراجع عن ذلك خلال ثوانٍ قليلة.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>حذف</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Deleted “%1”</source>
        <translation>حُذفت «%1»</translation>
    </message>
</context>
<context>
    <name>qalam::SseConsumer</name>
    <message>
        <source>the server ended the stream</source>
        <translation>أنهى الخادم البث</translation>
    </message>
    <message numerus="yes">
        <source>%1 (gave up after %n reconnection attempt(s))</source>
        <translation>
            <numerusform>%1 (توقفت المحاولة دون إعادة اتصال)</numerusform>
            <numerusform>%1 (توقفت المحاولة بعد محاولة واحدة لإعادة الاتصال)</numerusform>
            <numerusform>%1 (توقفت المحاولة بعد محاولتين لإعادة الاتصال)</numerusform>
            <numerusform>%1 (توقفت المحاولة بعد %Ln محاولات لإعادة الاتصال)</numerusform>
            <numerusform>%1 (توقفت المحاولة بعد %Ln محاولة لإعادة الاتصال)</numerusform>
            <numerusform>%1 (توقفت المحاولة بعد %Ln محاولة لإعادة الاتصال)</numerusform>
        </translation>
    </message>
    <message>
        <source>the server did not say what it sent (no Content-Type); expected text/event-stream</source>
        <translation>لم يحدد الخادم نوع ما أرسله (لا توجد ترويسة Content-Type)؛ المتوقع text/event-stream</translation>
    </message>
    <message>
        <source>expected text/event-stream but the server sent %1</source>
        <translation>المتوقع text/event-stream لكن الخادم أرسل %1</translation>
    </message>
    <message>
        <source>%1: the server asks to wait %2 s before retrying</source>
        <translation>%1: يطلب الخادم الانتظار %2 ث قبل إعادة المحاولة</translation>
    </message>
    <message>
        <source>the server asks to retry after %1 s</source>
        <translation>يطلب الخادم إعادة المحاولة بعد %1 ث</translation>
    </message>
    <message>
        <source>the server&apos;s %1-compressed body could not be decoded, or it expands far beyond any real stream (a decompression bomb)</source>
        <translation>تعذّر فك ضغط جسم الرد المضغوط بـ %1 من الخادم، أو أنه يتضخم أكثر بكثير مما يفعله أي بث حقيقي (قنبلة فك ضغط)</translation>
    </message>
    <message>
        <source>the server refused the credentials (%1)</source>
        <translation>رفض الخادم بيانات الاعتماد (%1)</translation>
    </message>
    <message>
        <source>the server answered %1 instead of an event stream</source>
        <translation>ردّ الخادم بـ %1 بدلًا من بث أحداث</translation>
    </message>
    <message>
        <source>the server sent a second response to one request</source>
        <translation>أرسل الخادم استجابة ثانية لطلب واحد</translation>
    </message>
    <message>
        <source>the response head is too large or malformed: its fields could not be read (HTTP %1)</source>
        <translation>رأس الاستجابة كبير جدًا أو مشوّه: تعذّرت قراءة حقوله (HTTP %1)</translation>
    </message>
    <message numerus="yes">
        <source>the response head is too large (%1 bytes in %n field(s); at most %2 bytes and %3 fields are accepted)</source>
        <translation>
            <numerusform>رأس الاستجابة كبير جدًا (%1 بايت بلا حقول؛ الحد الأقصى %2 بايت و%3 حقلًا)</numerusform>
            <numerusform>رأس الاستجابة كبير جدًا (%1 بايت في حقل واحد؛ الحد الأقصى %2 بايت و%3 حقلًا)</numerusform>
            <numerusform>رأس الاستجابة كبير جدًا (%1 بايت في حقلين؛ الحد الأقصى %2 بايت و%3 حقلًا)</numerusform>
            <numerusform>رأس الاستجابة كبير جدًا (%1 بايت في %n حقول؛ الحد الأقصى %2 بايت و%3 حقلًا)</numerusform>
            <numerusform>رأس الاستجابة كبير جدًا (%1 بايت في %n حقلًا؛ الحد الأقصى %2 بايت و%3 حقلًا)</numerusform>
            <numerusform>رأس الاستجابة كبير جدًا (%1 بايت في %n حقل؛ الحد الأقصى %2 بايت و%3 حقلًا)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the redirect could not be followed: more than %n redirect(s) in a row (last: HTTP %1 to %2)</source>
        <translation>
            <numerusform>تعذّر اتباع إعادة التوجيه: لا يُسمح بإعادة توجيه (الأخيرة: HTTP %1 إلى %2)</numerusform>
            <numerusform>تعذّر اتباع إعادة التوجيه: أكثر من إعادة توجيه واحدة متتالية (الأخيرة: HTTP %1 إلى %2)</numerusform>
            <numerusform>تعذّر اتباع إعادة التوجيه: أكثر من إعادتي توجيه متتاليتين (الأخيرة: HTTP %1 إلى %2)</numerusform>
            <numerusform>تعذّر اتباع إعادة التوجيه: أكثر من %n إعادات توجيه متتالية (الأخيرة: HTTP %1 إلى %2)</numerusform>
            <numerusform>تعذّر اتباع إعادة التوجيه: أكثر من %n إعادة توجيه متتالية (الأخيرة: HTTP %1 إلى %2)</numerusform>
            <numerusform>تعذّر اتباع إعادة التوجيه: أكثر من %n إعادة توجيه متتالية (الأخيرة: HTTP %1 إلى %2)</numerusform>
        </translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>أغلق الخادم الاتصال</translation>
    </message>
    <message>
        <source>the server closed the connection while the request was being sent</source>
        <translation>أغلق الخادم الاتصال أثناء إرسال الطلب</translation>
    </message>
    <message>
        <source>the server closed the connection before it answered</source>
        <translation>أغلق الخادم الاتصال قبل أن يجيب</translation>
    </message>
    <message>
        <source>no response from the server within %1 s (%2)</source>
        <translation>لا استجابة من الخادم خلال %1 ث (%2)</translation>
    </message>
    <message>
        <source>no data from the server for %1 s (%2)</source>
        <translation>لا بيانات من الخادم منذ %1 ث (%2)</translation>
    </message>
    <message>
        <source>no complete response head arrived</source>
        <translation>لم يصل رأس استجابة كامل</translation>
    </message>
    <message>
        <source>the request was sent %1 s ago; no complete response head arrived</source>
        <translation>أُرسل الطلب قبل %1 ث؛ ولم يصل رأس استجابة كامل</translation>
    </message>
    <message>
        <source>the last thing received was the response head, %1 s ago</source>
        <translation>آخر ما وصل كان رأس الاستجابة، قبل %1 ث</translation>
    </message>
    <message>
        <source>the last thing received was part of an event, %1 s ago</source>
        <translation>آخر ما وصل كان جزءًا من حدث، قبل %1 ث</translation>
    </message>
    <message>
        <source>the last thing received was a comment (heartbeat), %1 s ago</source>
        <translation>آخر ما وصل كان تعليقًا (نبضة)، قبل %1 ث</translation>
    </message>
    <message>
        <source>the last thing received was an event, %1 s ago</source>
        <translation>آخر ما وصل كان حدثًا، قبل %1 ث</translation>
    </message>
    <message>
        <source>the last thing received was the event with id “%1”, %2 s ago</source>
        <translation>آخر ما وصل كان الحدث ذا المعرّف «%1»، قبل %2 ث</translation>
    </message>
    <message>
        <source>the server asked to wait %1 s; waiting %2 s, the most allowed</source>
        <translation>طلب الخادم الانتظار %1 ث؛ والانتظار %2 ث، وهو الحد الأقصى</translation>
    </message>
</context>
<context>
    <name>qalam::StatusPresenter</name>
    <message>
        <source>Ready</source>
        <translation>جاهز</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>خطأ: %1</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>الإجابة تتدفق</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>جارٍ الاتصال…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>تم</translation>
    </message>
    <message>
        <source>first token %1 ms</source>
        <translation>أول رمز بعد %1 ملّي ثانية</translation>
    </message>
    <message>
        <source>%1 chars/s</source>
        <translation>%1 حرف/ثانية</translation>
    </message>
    <message numerus="yes">
        <source>%Ln reconnect(s)</source>
        <translation>
            <numerusform>دون إعادة اتصال</numerusform>
            <numerusform>إعادة اتصال واحدة</numerusform>
            <numerusform>إعادتا اتصال</numerusform>
            <numerusform>%Ln إعادات اتصال</numerusform>
            <numerusform>%Ln إعادة اتصال</numerusform>
            <numerusform>%Ln إعادة اتصال</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>qalam::StoreOpener</name>
    <message>
        <source>Cannot open the conversation database %1: %2</source>
        <translation>تعذّر فتح قاعدة بيانات المحادثات %1: %2</translation>
    </message>
    <message>
        <source>Answers cut off by the last exit could not be marked as interrupted: %1</source>
        <translation>تعذّر وسم الإجابات التي قطعها آخر خروج بأنها مقطوعة: %1</translation>
    </message>
    <message>
        <source>Qalam</source>
        <translation>قلم</translation>
    </message>
    <message>
        <source>Recover copies every conversation and message that can still be read into a new database. Start empty begins without them. Either way the damaged file is kept next to the new one, so nothing is deleted.</source>
        <translation>«استعادة» تنسخ كل محادثة ورسالة ما زالت قابلة للقراءة إلى قاعدة بيانات جديدة. «البدء فارغًا» يبدأ من دونها. وفي الحالتين يُحتفظ بالملف التالف بجانب الجديد، فلا يُحذف شيء.</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>استعادة</translation>
    </message>
    <message>
        <source>Start empty</source>
        <translation>البدء فارغًا</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>خروج</translation>
    </message>
</context>
<context>
    <name>qalam::StoreRecovery</name>
    <message>
        <source>%1 could not be renamed to %2.</source>
        <translation>تعذّرت إعادة تسمية %1 إلى %2.</translation>
    </message>
    <message>
        <source>There is no conversation history yet.</source>
        <translation>لا يوجد سجل محادثات بعد.</translation>
    </message>
    <message>
        <source>The conversation history (%1) cannot be read: %2</source>
        <translation>تتعذّر قراءة سجل المحادثات (%1): %2</translation>
    </message>
    <message>
        <source>The conversation history is empty.</source>
        <translation>سجل المحادثات فارغ.</translation>
    </message>
    <message>
        <source>The conversation history file (%1) is not a database: it was overwritten or replaced by another file.</source>
        <translation>ملف سجل المحادثات (%1) ليس قاعدة بيانات: كُتب فوقه أو استُبدل بملف آخر.</translation>
    </message>
    <message>
        <source>The conversation history is in order.</source>
        <translation>سجل المحادثات سليم.</translation>
    </message>
    <message>
        <source>The conversation history file (%1) is damaged. Qalam can save what is still readable into a new file, or start with an empty history; the damaged file is kept either way.</source>
        <translation>ملف سجل المحادثات (%1) تالف. يستطيع قلم حفظ ما زال قابلًا للقراءة في ملف جديد، أو البدء بسجل فارغ؛ ويُحتفظ بالملف التالف في الحالتين.</translation>
    </message>
    <message>
        <source>There is no conversation history at %1.</source>
        <translation>لا يوجد سجل محادثات في %1.</translation>
    </message>
    <message>
        <source>The conversation history at %1 was written by a newer version of Qalam; use that version to open it.</source>
        <translation>سجل المحادثات في %1 كتبه إصدار أحدث من قلم؛ استخدم ذلك الإصدار لفتحه.</translation>
    </message>
    <message>
        <source>Recovered conversation</source>
        <translation>محادثة مستعادة</translation>
    </message>
    <message>
        <source>Cannot create a new conversation history at %1: %2</source>
        <translation>يتعذّر إنشاء سجل محادثات جديد في %1: %2</translation>
    </message>
    <message>
        <source>Cannot write the new conversation history at %1: %2</source>
        <translation>تتعذّر كتابة سجل المحادثات الجديد في %1: %2</translation>
    </message>
    <message>
        <source>The readable conversations were saved in %1, but it could not take the damaged file&apos;s place: %2</source>
        <translation>حُفظت المحادثات المقروءة في %1، لكنه لم يستطع أن يحلّ محل الملف التالف: %2</translation>
    </message>
    <message>
        <source>%1 and %2 were saved from the damaged conversation history. The damaged file was kept as %3.</source>
        <translation>حُفظت %1 و%2 من سجل المحادثات التالف. واحتُفظ بالملف التالف باسم %3.</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>لا محادثات</numerusform>
            <numerusform>محادثة واحدة</numerusform>
            <numerusform>محادثتان</numerusform>
            <numerusform>%n محادثات</numerusform>
            <numerusform>%n محادثة</numerusform>
            <numerusform>%n محادثة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>لا رسائل</numerusform>
            <numerusform>رسالة واحدة</numerusform>
            <numerusform>رسالتان</numerusform>
            <numerusform>%n رسائل</numerusform>
            <numerusform>%n رسالة</numerusform>
            <numerusform>%n رسالة</numerusform>
        </translation>
    </message>
    <message>
        <source>The damaged conversation history could not be moved aside: %1</source>
        <translation>تعذّر نقل سجل المحادثات التالف جانبًا: %1</translation>
    </message>
    <message>
        <source>A new, empty conversation history was started. The damaged file was kept as %1.</source>
        <translation>بدأ سجل محادثات جديد فارغ. واحتُفظ بالملف التالف باسم %1.</translation>
    </message>
</context>
<context>
    <name>qalam::TlsErrorText</name>
    <message>
        <source>it is not issued by a trusted authority</source>
        <translation>ليست صادرة عن جهة موثوقة</translation>
    </message>
    <message>
        <source>it is self-signed (“%1”) and not trusted</source>
        <translation>موقّعة ذاتيًا («%1») وغير موثوقة</translation>
    </message>
    <message>
        <source>it is issued by “%1”, which is not a trusted authority</source>
        <translation>صادرة عن «%1»، وهي ليست جهة موثوقة</translation>
    </message>
    <message>
        <source>trust that authority with a CA certificate file</source>
        <translation>اجعل تلك الجهة موثوقة بملف شهادة CA</translation>
    </message>
    <message>
        <source>it has expired</source>
        <translation>انتهت صلاحيتها</translation>
    </message>
    <message>
        <source>it expired on %1</source>
        <translation>انتهت صلاحيتها في %1</translation>
    </message>
    <message>
        <source>it is not valid yet</source>
        <translation>لم تصبح صالحة بعد</translation>
    </message>
    <message>
        <source>it is not valid before %1</source>
        <translation>لا تصلح قبل %1</translation>
    </message>
    <message>
        <source>it is not issued for %1</source>
        <translation>ليست صادرة لـ %1</translation>
    </message>
    <message>
        <source>it is issued for %1, not for %2</source>
        <translation>صادرة لـ %1، لا لـ %2</translation>
    </message>
    <message>
        <source>it has been revoked</source>
        <translation>أُلغيت</translation>
    </message>
    <message>
        <source>the TLS connection to %1 could not be set up</source>
        <translation>تعذّر إنشاء اتصال TLS مع %1</translation>
    </message>
    <message>
        <source>the server&apos;s certificate for %1 was refused: %2</source>
        <translation>رُفضت شهادة الخادم لـ %1: %2</translation>
    </message>
</context>
<context>
    <name>qalam::UndoNotice</name>
    <message>
        <source>Undo</source>
        <translation>تراجع</translation>
    </message>
    <message>
        <source>Delete now</source>
        <translation>احذف الآن</translation>
    </message>
    <message>
        <source>Deletes the conversation at once, without Undo</source>
        <translation>يحذف المحادثة فورًا، دون تراجع</translation>
    </message>
</context>
<context>
    <name>qalam::WindowActions</name>
    <message>
        <source>&amp;File</source>
        <translation>ملف</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>محادثة جديدة</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>إنهاء</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>محادثة</translation>
    </message>
    <message>
        <source>&amp;Stop answer</source>
        <translation>إيقاف الإجابة</translation>
    </message>
    <message>
        <source>&amp;Regenerate answer</source>
        <translation>إعادة توليد الإجابة</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>عرض</translation>
    </message>
    <message>
        <source>Reduce &amp;motion (show answers at once)</source>
        <translation>تقليل الحركة (عرض الإجابات دفعة واحدة)</translation>
    </message>
    <message>
        <source>Show &amp;sidebar</source>
        <translation>إظهار الشريط الجانبي</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>إعدادات</translation>
    </message>
    <message>
        <source>Connection &amp;profiles…</source>
        <translation>ملفات تعريف الاتصال…</translation>
    </message>
    <message>
        <source>P&amp;references…</source>
        <translation>التفضيلات…</translation>
    </message>
    <message>
        <source>&amp;Search conversations</source>
        <translation>البحث في المحادثات</translation>
    </message>
</context>
<context>
    <name>qalam::WindowPreferences</name>
    <message>
        <source>Preferences</source>
        <translation>التفضيلات</translation>
    </message>
</context>
<context>
    <name>qalam::WindowSnapshot</name>
    <message>
        <source>The window could not be rendered.</source>
        <translation>تعذّر رسم النافذة.</translation>
    </message>
    <message>
        <source>Could not write the picture to %1.</source>
        <translation>تعذّرت كتابة الصورة في %1.</translation>
    </message>
    <message>
        <source>The dialog did not open.</source>
        <translation>لم تُفتح نافذة الحوار.</translation>
    </message>
</context>
</TS>
