// EmptyStateView: what the chat area shows while the conversation has no message yet (the first
// run, or a new conversation): what Qalam is, three example questions in the interface language
// (a click asks it), and, while the built-in demo is the backend, a note that its answers are
// canned (pre-written, played back offline) with a "Connect a backend" button that opens the
// connection profiles. It mirrors with the interface and retranslates on a language change.
#pragma once

#include <QList>
#include <QWidget>

class QLabel;
class QPushButton;

namespace qalam {

class ThemeManager;

class EmptyStateView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int promptCount = 3;

    // `theme` (not owned, may be null) draws the button's icon.
    explicit EmptyStateView(const ThemeManager *theme, QWidget *parent = nullptr);

    // Shows the demo's note and the "Connect a backend" button.
    void setDemo(bool demo);
    bool isDemo() const { return m_demo; }

    // The example questions in the current language.
    static QStringList examplePrompts();

    const QList<QPushButton *> &promptButtons() const { return m_prompts; }
    QPushButton *connectButton() const { return m_connect; }
    QLabel *demoNote() const { return m_demoNote; }

Q_SIGNALS:
    void promptChosen(const QString &prompt);
    void connectRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QLabel *m_title;
    QLabel *m_intro;
    QLabel *m_tryLabel;
    QList<QPushButton *> m_prompts;
    QLabel *m_demoNote;
    QPushButton *m_connect;
    bool m_demo = false;
};

} // namespace qalam
