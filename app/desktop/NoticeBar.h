// NoticeBar: messages that must stay readable until the user dismisses them (a damaged settings
// file kept aside, a database recovered, no keychain service), above the conversation. The
// status bar's temporary messages are overwritten by the next action; these are not.
#pragma once

#include <QFrame>

class QVBoxLayout;

namespace qalam {

class NoticeBar : public QFrame
{
    Q_OBJECT

public:
    explicit NoticeBar(QWidget *parent = nullptr);

    // Shows `text` (plain text, wrapped) with a Dismiss button; the same text is shown once.
    void addNotice(const QString &text);
    QStringList notices() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QVBoxLayout *m_layout;
};

} // namespace qalam
