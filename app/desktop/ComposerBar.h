// ComposerBar: the bottom of the chat: the Composer and its Send button in one rounded field, as
// chat apps have it. The button sends (paper-plane icon, in the accent colour) and, while an
// answer streams, stops it (Stop icon); it is disabled while there is nothing to send. The field's
// outline takes the accent colour while the composer has the focus. All colours come from the
// palette, so a theme switch needs nothing from here.
#pragma once

#include <QWidget>

class QPushButton;

namespace qalam {

class Composer;
class ThemeManager;

class ComposerBar : public QWidget
{
    Q_OBJECT

public:
    // `theme` (not owned, may be null in tests) draws the button's icons.
    explicit ComposerBar(const ThemeManager *theme, QWidget *parent = nullptr);

    Composer *composer() const { return m_composer; }
    QPushButton *sendButton() const { return m_sendButton; }

    // Stop instead of Send while an answer streams.
    void setStreaming(bool streaming);
    bool isStreaming() const { return m_streaming; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateButton();
    QRect fieldRect() const;

    const ThemeManager *m_theme;
    Composer *m_composer;
    QPushButton *m_sendButton;
    bool m_streaming = false;
};

} // namespace qalam
